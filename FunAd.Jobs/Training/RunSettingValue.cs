namespace FunAd.Jobs.Training;

/// <summary>One resolved setting of a run as the report lists it; <paramref name="SetForRun"/> when the run overrode its profile's value.</summary>
public sealed record RunSettingValue(string Name, string Value, bool SetForRun);
