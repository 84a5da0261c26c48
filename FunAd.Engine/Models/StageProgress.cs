using FunAd.Engine.Training;

namespace FunAd.Engine.Models;

/// <summary>
/// Progress of long engine work: the stage (one of <see cref="Stages"/>), its fraction
/// done and a detail line; during FUN-AD training also the trainer's own record (losses, epoch, ETA).
/// </summary>
public readonly record struct StageProgress(string Stage, double Fraction, string Detail = "", TrainingProgress? Training = null);
