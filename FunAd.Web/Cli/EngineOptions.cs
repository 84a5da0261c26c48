using System.CommandLine;
using FunAd.Engine.Devices;
using FunAd.Engine.Features;
using FunAd.Engine.Imaging;
using FunAd.Engine.Workflows;

namespace FunAd.Web.Cli;

/// <summary>Options every engine verb takes: the device and the feature cache.</summary>
public sealed class EngineOptions
{
    public Option<string> Device { get; } = new("--device") { Description = "auto (CUDA when available), cpu or cuda", DefaultValueFactory = _ => "auto" };
    public Option<string?> Cache { get; } = new("--cache") { Description = "feature cache folder (default: <data root>/features, the data root being FunAd__DataRoot or ./data)" };
    public Option<bool> NoCache { get; } = new("--no-cache") { Description = "compute features without reading or writing the cache" };

    public void AddTo(Command command)
    {
        command.Options.Add(Device);
        command.Options.Add(Cache);
        command.Options.Add(NoCache);
    }

    public EngineContext CreateContext(ParseResult result)
    {
        var device = ComputeDevice.Resolve(DeviceChoiceParser.Parse(result.GetValue(Device)));
        Console.Error.WriteLine($"device: {device.Description}");
        var cache = result.GetValue(NoCache)
            ? null
            : new FeatureCache(result.GetValue(Cache) ?? Path.Combine(DataRoot.Resolve(), "features"));
        return new EngineContext(device, cache, DecodeLimits.Default);
    }
}
