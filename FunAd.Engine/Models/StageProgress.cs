namespace FunAd.Engine.Models;

/// <summary>Progress of long engine work: the stage ("features", "coreset", "scoring"), its fraction done and a detail line.</summary>
public readonly record struct StageProgress(string Stage, double Fraction, string Detail = "");
