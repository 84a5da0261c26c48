using Bunit;
using FunAd.Jobs.Catalogue;
using FunAd.Jobs.Hosting;
using FunAd.Web.Components.Projects;
using FunAd.Web.Components.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace FunAd.Tests.Web.Components;

public sealed class RunComponentsTests : BunitContext
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly RecoveryTimings timings = new();

    public RunComponentsTests()
    {
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(clock);
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(timings));
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static TrainingRun Run(RunStatus status, string phase = "training") => new()
    {
        Id = 3, ProjectId = 1, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = status,
        Progress =
        {
            Phase = phase, Fraction = 0.42, Detail = "epoch 5/40 loss 0.1234", Epoch = 5, Epochs = 40, Loss = 0.1234, AnomalousShare = 0.087, EtaSeconds = 125,
        },
    };

    [Fact]
    public void A_running_run_shows_phase_progress_epoch_loss_anomalous_share_and_eta()
    {
        var cut = Render<RunProgressPanel>(p => p.Add(x => x.Run, Run(RunStatus.Running)));

        Assert.Equal("Training", cut.Find("#run-phase").TextContent);
        Assert.Equal("42%", cut.Find("#run-percent").TextContent);
        Assert.Contains("5", cut.Find("#run-epoch").TextContent);
        Assert.Contains("/ 40", cut.Find("#run-epoch").TextContent);
        Assert.Contains("0.1234", cut.Find("#run-loss").TextContent);
        Assert.Contains("8.7", cut.Find("#run-anomalous").TextContent);
        Assert.Contains("00:02:05", cut.Find("#run-eta").TextContent);
    }

    [Fact]
    public void A_finished_run_shows_no_eta_and_says_how_the_model_was_chosen()
    {
        var run = Run(RunStatus.Succeeded, "done");
        run.Progress.Fraction = 1;
        run.Outcome.SelectionRule = "final: the last epoch (40)";

        var cut = Render<RunProgressPanel>(p => p.Add(x => x.Run, run));

        Assert.Equal("Finished", cut.Find("#run-phase").TextContent);
        Assert.Empty(cut.FindAll("#run-eta"));
        Assert.Contains("final: the last epoch (40)", cut.Find("#run-selection").TextContent);
    }

    [Fact]
    public void A_running_run_whose_worker_went_silent_is_flagged_and_a_live_one_is_not()
    {
        var silent = Run(RunStatus.Running);
        silent.HeartbeatAt = clock.GetUtcNow() - TimeSpan.FromMinutes(7);
        var live = Run(RunStatus.Running);
        live.HeartbeatAt = clock.GetUtcNow() - TimeSpan.FromSeconds(3);

        var flagged = Render<RunProgressPanel>(p => p.Add(x => x.Run, silent));
        var fine = Render<RunProgressPanel>(p => p.Add(x => x.Run, live));

        Assert.Contains("has not reported for 0:07", flagged.Find("#run-silent").TextContent);
        Assert.Empty(fine.FindAll("#run-silent"));
    }

    [Fact]
    public void The_silence_warning_uses_the_limit_the_recovery_uses()
    {
        var run = Run(RunStatus.Running);
        run.HeartbeatAt = clock.GetUtcNow() - TimeSpan.FromSeconds(90);

        // Default StaleAfter is 120 s: 90 s of silence is still a live worker.
        Assert.Empty(Render<RunProgressPanel>(p => p.Add(x => x.Run, run)).FindAll("#run-silent"));
        // A host that hands runs on after 60 s warns after 60 s too.
        timings.StaleAfterSeconds = 60;
        Assert.Single(Render<RunProgressPanel>(p => p.Add(x => x.Run, run)).FindAll("#run-silent"));
        // And the page's clock is the host's: moving it ages the heartbeat.
        timings.StaleAfterSeconds = 120;
        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Single(Render<RunProgressPanel>(p => p.Add(x => x.Run, run)).FindAll("#run-silent"));
    }

    [Fact]
    public void An_interrupted_run_says_it_resumes_from_its_checkpoint()
    {
        var cut = Render<RunProgressPanel>(p => p.Add(x => x.Run, Run(RunStatus.Queued, "interrupted")));

        Assert.Contains("resumes from its checkpoint", cut.Find("#run-phase").TextContent);
    }

    [Fact]
    public void The_loss_chart_waits_for_epochs_then_draws_one_line_per_series()
    {
        var empty = Render<LossChart>(p => p.Add(x => x.Epochs, []));
        Assert.NotNull(empty.Find("#loss-chart-empty"));

        var epochs = Enumerable.Range(1, 12).Select(e => new RunEpoch { Epoch = e, Loss = 1.0 / e, BceLoss = 0.8 / e, SmoothnessLoss = 0.2 / e, AnomalousShare = 0.1 }).ToList();
        var cut = Render<LossChart>(p => p.Add(x => x.Epochs, epochs));

        Assert.Empty(cut.FindAll("#loss-chart-empty"));
        var lines = cut.FindAll("polyline.funad-chart-line");
        Assert.Equal(["loss", "BCE", "smoothness", "share anomalous"], lines.Select(l => l.GetAttribute("data-series")));
        Assert.All(lines, l => Assert.Equal(12, l.GetAttribute("points")!.Split(' ').Length));
    }

    [Theory]
    [InlineData(RunStatus.Succeeded, "succeeded")]
    [InlineData(RunStatus.Failed, "failed")]
    [InlineData(RunStatus.Cancelled, "cancelled")]
    public async Task The_status_chip_names_the_status(RunStatus status, string text)
    {
        // MudChip's services only dispose asynchronously: a context of its own, disposed so.
        await using var context = new BunitContext();
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;

        var cut = context.Render<RunStatusChip>(p => p.Add(x => x.Status, status));

        Assert.Equal(text, cut.Find(".run-status").TextContent.Trim());
    }
}
