using FunAd.Engine.Models;
using FunAd.Jobs.Catalogue;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Training;

/// <summary>
/// Turns the engine's progress into catalogue rows: the run's phase, share done, losses and ETA (at
/// most once a second, and at every change of stage), one row per finished epoch for the loss chart,
/// and a log line per stage. Each write also reads the run's Cancel flag and heartbeats the run.
/// </summary>
public sealed class RunProgressRecorder(IDbContextFactory<CatalogueDbContext> factory, int runId, string worker, Action onCancelRequested,
    TimeProvider? time = null) : IProgress<StageProgress>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private DateTimeOffset lastWrite = DateTimeOffset.MinValue;
    private string? lastStage;
    private int epochInProgress = -1;
    private double lossSum, bceSum, smoothSum, anomalousSum;
    private int steps;
    private bool sawTraining;

    public void Report(StageProgress value)
    {
        var epochRows = new List<RunEpoch>();
        string? resumed = null;
        if (value.Training is { } t)
        {
            // The first training step this job sees is past epoch 1 only when it resumed from a checkpoint.
            if (!sawTraining && t.Epoch > 0) resumed = $"resumed from the checkpoint: continuing at epoch {t.Epoch + 1} of {t.Epochs}";
            sawTraining = true;
            if (t.Epoch != epochInProgress) ResetEpoch(t.Epoch);
            lossSum += t.Loss; bceSum += t.BceLoss; smoothSum += t.SmoothnessLoss; anomalousSum += t.AnomalousShare; steps++;
            if (t.Iteration == t.IterationsPerEpoch)
            {
                epochRows.Add(new RunEpoch
                {
                    RunId = runId, Epoch = t.Epoch + 1, Loss = lossSum / steps, BceLoss = bceSum / steps,
                    SmoothnessLoss = smoothSum / steps, AnomalousShare = anomalousSum / steps,
                });
                ResetEpoch(-1);
            }
        }
        var now = clock.GetUtcNow();
        var stageChanged = value.Stage != lastStage;
        if (!stageChanged && epochRows.Count == 0 && resumed is null && now - lastWrite < Interval) return;
        lastWrite = now;
        lastStage = value.Stage;

        using var db = factory.CreateDbContext();
        var run = db.Runs.Single(r => r.Id == runId);
        run.RecordProgress(value.Stage, RunPhase.Overall(value), value.Detail, worker, now);
        if (value.Training is { } training)
        {
            run.Progress.Epoch = training.Epoch + 1;
            run.Progress.Epochs = training.Epochs;
            run.Progress.Loss = training.Loss;
            run.Progress.AnomalousShare = training.AnomalousShare;
            run.Progress.EtaSeconds = training.Remaining?.TotalSeconds;
        }
        // The trainer's estimate covers training only: after it (export, scoring) there is none, not "00:00:00".
        else run.Progress.EtaSeconds = null;
        if (stageChanged) db.RunLog.Add(new RunLogEntry { RunId = runId, At = now, Message = $"{value.Stage}: {value.Detail}".TrimEnd(' ', ':') });
        if (resumed is not null) db.RunLog.Add(new RunLogEntry { RunId = runId, At = now, Message = resumed });
        foreach (var row in epochRows)
        {
            if (db.RunEpochs.Any(e => e.RunId == runId && e.Epoch == row.Epoch)) continue;
            db.RunEpochs.Add(row);
            // The log follows training in tenths (and its last epoch), so it does not stop at "epoch 1/40".
            var epochs = run.Progress.Epochs;
            if (epochs > 0 && (row.Epoch == epochs || row.Epoch % Math.Max(1, epochs / 10) == 0))
                db.RunLog.Add(new RunLogEntry { RunId = runId, At = now, Message = $"epoch {row.Epoch}/{epochs}: loss {row.Loss:G4}, {row.AnomalousShare:P1} pseudo-labelled anomalous" });
        }
        db.SaveChanges();
        if (run.CancelRequested) onCancelRequested();
    }

    private void ResetEpoch(int epoch)
    {
        epochInProgress = epoch;
        lossSum = bceSum = smoothSum = anomalousSum = 0;
        steps = 0;
    }
}
