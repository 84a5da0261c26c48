using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Scoring;

namespace FunAd.Jobs.Projects;

/// <summary>One image as its detail view shows it: the image, the latest verdict, and its score in every run that scored it.</summary>
public sealed record ImageDetail(ImageAsset Image, Verdict? Verdict, string? VerdictBy, IReadOnlyList<ImageRunScore> Runs);

/// <summary>The image's score in one run, with the band the run's current thresholds put it in.</summary>
public sealed record ImageRunScore(int RunId, string Method, RunStatus Status, DateTimeOffset CreatedAt, double Score, ScoreBand Band,
    bool HasHeatmap, bool LeftOutOfBank);
