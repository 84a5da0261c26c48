using Bunit;
using FunAd.Engine.Models;
using FunAd.Jobs.Catalogue;
using FunAd.Web.Components.Runs;
using MudBlazor.Services;

namespace FunAd.Tests.Web.Components;

public sealed class TrainingDetailsTests : BunitContext
{
    public TrainingDetailsTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static readonly DateTimeOffset Start = new(2025, 3, 4, 10, 20, 30, TimeSpan.Zero);

    [Fact]
    public void The_log_shows_every_line_in_order_with_its_local_time()
    {
        List<RunLogEntry> log =
        [
            new() { RunId = 1, At = Start, Message = "Run queued" },
            new() { RunId = 1, At = Start.AddSeconds(75), Message = "epoch 1/40 loss 0.6931" },
            new() { RunId = 1, At = Start.AddMinutes(10), Message = "Resumed from epoch 12" },
        ];

        var cut = Render<TrainingDetails>(p => p.Add(x => x.Method, AnomalyMethod.FunAd).Add(x => x.Epochs, []).Add(x => x.Log, log));

        var lines = cut.FindAll("#run-log > div").Select(d => d.TextContent).ToList();
        Assert.Equal(log.Select(l => $"{l.At.ToLocalTime():HH:mm:ss} {l.Message}"), lines);
    }

    [Fact]
    public void Without_epochs_the_loss_chart_says_it_fills_in_later()
    {
        var cut = Render<TrainingDetails>(p => p.Add(x => x.Method, AnomalyMethod.FunAd).Add(x => x.Epochs, []).Add(x => x.Log, []));

        Assert.Contains("fills in as epochs finish", cut.Find("#loss-chart-empty").TextContent);
        Assert.Empty(cut.FindAll("#loss-chart"));
        Assert.Empty(cut.FindAll("#run-log > div"));
        Assert.Empty(cut.FindAll("#no-epochs"));
    }

    [Fact]
    public void PatchCore_has_no_loss_card_but_one_line_saying_why_and_its_log_takes_the_whole_width()
    {
        var cut = Render<TrainingDetails>(p => p.Add(x => x.Method, AnomalyMethod.PatchCore).Add(x => x.Epochs, [])
            .Add(x => x.Log, [new RunLogEntry { RunId = 1, At = Start, Message = "coreset: 0 of 26,656 patches chosen from 266,560" }]));

        Assert.Empty(cut.FindAll("#loss-card"));
        Assert.Empty(cut.FindAll("#loss-chart-empty"));
        Assert.Contains("PatchCore does not train by epochs", cut.Find("#no-epochs").TextContent);
        Assert.Single(cut.FindAll("#run-log > div"));
        var logColumn = cut.Find("#run-log").Closest(".mud-grid-item")!;
        Assert.Contains("mud-grid-item-xs-12", logColumn.ClassList);
        Assert.DoesNotContain(logColumn.ClassList, c => c.StartsWith("mud-grid-item-md-", StringComparison.Ordinal) && c != "mud-grid-item-md-12");
    }

    [Fact]
    public void With_epochs_the_loss_chart_draws_a_point_per_epoch()
    {
        var epochs = Enumerable.Range(1, 5).Select(e => new RunEpoch { RunId = 1, Epoch = e, Loss = 1.0 / e, BceLoss = 0.5 / e, SmoothnessLoss = 0.1, AnomalousShare = 0.05 }).ToList();

        var cut = Render<TrainingDetails>(p => p.Add(x => x.Method, AnomalyMethod.FunAd).Add(x => x.Epochs, epochs).Add(x => x.Log, [new RunLogEntry { Message = "done" }]));

        Assert.Empty(cut.FindAll("#loss-chart-empty"));
        Assert.NotNull(cut.Find("svg#loss-chart"));
        var loss = cut.Find("polyline[data-series='loss']");
        Assert.Equal(5, loss.GetAttribute("points")!.Split(' ').Length);
        Assert.Single(cut.FindAll("#run-log > div"));
    }
}
