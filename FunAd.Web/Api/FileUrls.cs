namespace FunAd.Web.Api;

/// <summary>Where the pages and the API's replies point for a stored file or a download: one place for each such URL.</summary>
public static class FileUrls
{
    public static string Image(long imageId) => $"/files/images/{imageId}";
    public static string Thumbnail(long imageId) => $"/files/images/{imageId}/thumbnail";
    public static string Mask(long imageId) => $"/files/images/{imageId}/mask";
    public static string Heatmap(int runId, long imageId) => $"/files/runs/{runId}/heatmaps/{imageId}";
    public static string HeatmapValues(int runId, long imageId) => $"/files/runs/{runId}/heatmaps/{imageId}/values";
    public static string Model(int runId) => $"/api/v1/runs/{runId}/model.onnx";
    public static string ScoresCsv(int runId) => $"/api/v1/runs/{runId}/scores.csv";
}
