using FunAd.Engine.Onnx.Format;

namespace FunAd.Engine.Onnx;

/// <summary>Reads ONNX files with errors that name the file, and answers questions about their opsets.</summary>
public static class OnnxModelFile
{
    public static ModelProto Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: ONNX model file not found.", path);
        try
        {
            var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            if (model.Graph is null || model.Graph.Node.Count == 0) throw new InvalidDataException("the file holds no graph");
            return model;
        }
        catch (Exception e) when (e is Google.Protobuf.InvalidProtocolBufferException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: not a readable ONNX model ({e.Message}).", e);
        }
    }

    /// <summary>The operator-set version of the default (ai.onnx) domain.</summary>
    public static long DefaultOpset(ModelProto model) =>
        model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max();
}
