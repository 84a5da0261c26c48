using Bunit;
using FunAd.Jobs.Catalogue;
using FunAd.Web.Components.Projects;
using FunAd.Web.Components.Runs;
using MudBlazor.Services;

namespace FunAd.Tests.Web.Components;

public sealed class RunComponentsTests : BunitContext
{
    public RunComponentsTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static TrainingRun Run(RunStatus status, string phase = "training") => new()
    {
        Id = 3, ProjectId = 1, Method = "funad", Profile = "fast", ParametersJson = "{}", Status = status, Phase = phase,
        Progress = 0.42, Detail = "epoch 5/40 loss 0.1234", Epoch = 5, Epochs = 40, Loss = 0.1234, AnomalousShare = 0.087, EtaSeconds = 125,
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
        run.Progress = 1;
        run.SelectionRule = "final: the last epoch (40)";

        var cut = Render<RunProgressPanel>(p => p.Add(x => x.Run, run));

        Assert.Equal("Finished", cut.Find("#run-phase").TextContent);
        Assert.Empty(cut.FindAll("#run-eta"));
        Assert.Contains("final: the last epoch (40)", cut.Find("#run-selection").TextContent);
    }

    [Fact]
    public void A_running_run_whose_worker_went_silent_is_flagged_and_a_live_one_is_not()
    {
        var silent = Run(RunStatus.Running);
        silent.HeartbeatAt = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(7);
        var live = Run(RunStatus.Running);
        live.HeartbeatAt = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(3);

        var flagged = Render<RunProgressPanel>(p => p.Add(x => x.Run, silent));
        var fine = Render<RunProgressPanel>(p => p.Add(x => x.Run, live));

        Assert.Contains("has not reported for 0:07", flagged.Find("#run-silent").TextContent);
        Assert.Empty(fine.FindAll("#run-silent"));
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
