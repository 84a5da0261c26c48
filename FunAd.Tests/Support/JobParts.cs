using FunAd.Engine.Devices;
using FunAd.Jobs.Audit;
using FunAd.Jobs.Hosting;
using FunAd.Jobs.Projects;
using FunAd.Jobs.Scoring;
using FunAd.Jobs.Training;
using FunAd.Jobs.Workers;
using Hangfire;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FunAd.Tests.Support;

/// <summary>
/// The training services wired as the hosts wire them, on a test catalogue: one clock and one set of
/// recovery timings for all, so a test moves time (a FakeTimeProvider) instead of sleeping.
/// </summary>
public sealed class JobParts(CatalogueFixture catalogue, IBackgroundJobClient jobs, TimeProvider? time = null, RecoveryTimings? timings = null)
{
    public TimeProvider Time { get; } = time ?? TimeProvider.System;
    public IOptions<RecoveryTimings> Timings { get; } = Options.Create(timings ?? new RecoveryTimings());
    public RunCancellation Cancellation { get; } = new();

    public WorkerRegistry Workers() => new(catalogue.Factory, Timings, Time);

    public RunLauncher Launcher(CatalogueOptions? options = null) =>
        new(catalogue.Factory, jobs, Cancellation, Workers(), new AuditLog(catalogue.Factory), Time, options ?? new CatalogueOptions(), NullLogger<RunLauncher>.Instance);

    public RunRecovery Recovery(RunLauncher? launcher = null) =>
        new(catalogue.Factory, launcher ?? Launcher(), Timings, Time, NullLogger<RunRecovery>.Instance);

    public TrainingJob Job() => new(catalogue.Factory, catalogue.Store, Cancellation, new EngineDevice(() => ComputeDevice.Resolve(DeviceChoice.Cpu)),
        new RunScoring(catalogue.Factory, catalogue.Store), new BackboneFolder(catalogue.Root), Timings, Time, NullLogger<TrainingJob>.Instance);
}
