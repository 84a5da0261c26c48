using FunAd.Engine.Devices;

namespace FunAd.Web.Hosting;

/// <summary>
/// The compute device the engine runs on, resolved once in the background (loading TorchSharp can
/// take seconds). A failed resolution is recorded in <see cref="Error"/>; it never stops the host.
/// </summary>
public sealed class EngineStatus
{
    private readonly Lazy<Task> _resolution;
    private readonly ILogger? _logger;
    private volatile Outcome? _outcome;

    /// <param name="resolve">Resolves the device; runs at most once, on a thread-pool thread, when first needed.</param>
    /// <param name="logger">Where the outcome is logged; optional.</param>
    public EngineStatus(Func<ComputeDevice> resolve, ILogger<EngineStatus>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        _logger = logger;
        _resolution = new Lazy<Task>(() => Task.Run(() => Complete(resolve)), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private EngineStatus(Outcome outcome)
    {
        _outcome = outcome;
        _resolution = new Lazy<Task>(Task.CompletedTask);
    }

    /// <summary>The status the host uses: the device named by <c>FunAd:Device</c> (auto, cpu or cuda; default auto).</summary>
    public static EngineStatus FromConfiguration(IConfiguration configuration, ILogger<EngineStatus>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new EngineStatus(() => ComputeDevice.Resolve(DeviceChoiceParser.Parse(configuration["FunAd:Device"] ?? "auto")), logger);
    }

    /// <summary>An already resolved status (for tests and tools that resolved the device themselves).</summary>
    public static EngineStatus Resolved(ComputeDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return new EngineStatus(new Outcome(device, null));
    }

    /// <summary>An already failed status carrying <paramref name="error"/>.</summary>
    public static EngineStatus Failed(string error)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(error);
        return new EngineStatus(new Outcome(null, error));
    }

    /// <summary>True once resolution has finished, whether it succeeded or not.</summary>
    public bool IsResolved => _outcome is not null;

    /// <summary>True once the device is known and the engine can run.</summary>
    public bool Ready => _outcome?.Device is not null;

    /// <summary>The resolved device, or null while resolving or after a failure.</summary>
    public ComputeDevice? Device => _outcome?.Device;

    /// <summary>For example "CPU (2 cores; no CUDA device found)"; empty until <see cref="Ready"/>.</summary>
    public string DeviceDescription => _outcome?.Device?.Description ?? "";

    /// <summary>What the TorchSharp native-library fix did; empty until <see cref="Ready"/>.</summary>
    public string NativeFixOutcome => _outcome?.Device?.NativeFixOutcome ?? "";

    /// <summary>Why resolution failed, or null (still resolving, or ready).</summary>
    public string? Error => _outcome?.Error;

    /// <summary>Starts resolution in the background if it has not started; returns at once.</summary>
    public void Start() => _ = _resolution.Value;

    /// <summary>Starts resolution if needed and completes when it has finished. Never faults.</summary>
    public Task WhenResolvedAsync() => _resolution.Value;

    private void Complete(Func<ComputeDevice> resolve)
    {
        try
        {
            var device = resolve();
            _outcome = new Outcome(device, null);
            _logger?.LogInformation("Engine ready on {Device}; native fix: {NativeFix}", device.Description, device.NativeFixOutcome);
        }
        catch (Exception e)
        {
            _outcome = new Outcome(null, e.Message);
            _logger?.LogError(e, "The compute device could not be resolved; the engine is unavailable");
        }
    }

    private sealed record Outcome(ComputeDevice? Device, string? Error);
}

/// <summary>Starts <see cref="EngineStatus"/> resolution when the host starts, without waiting for it.</summary>
internal sealed class EngineStatusStarter(EngineStatus status) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        status.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
