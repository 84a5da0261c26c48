using FunAd.Engine.Onnx.Format;
using Google.Protobuf;

namespace FunAd.Engine.Export;

/// <summary>Reads and updates the metadata properties of an exported model file in place (the graph is untouched).</summary>
public static class OnnxMetadata
{
    public static IReadOnlyDictionary<string, string> Read(string path)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        return model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
    }

    /// <summary>Sets the given properties (others are kept), writing beside and moving into place.</summary>
    public static void Update(string path, IReadOnlyDictionary<string, string> values)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        foreach (var (key, value) in values)
        {
            var existing = model.MetadataProps.FirstOrDefault(p => p.Key == key);
            if (existing is null) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
            else existing.Value = value;
        }
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, model.ToByteArray());
        File.Move(temporary, path, overwrite: true);
    }
}
