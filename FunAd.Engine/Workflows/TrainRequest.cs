using FunAd.Engine.Baselines.PatchCore;
using FunAd.Engine.Features;
using FunAd.Engine.FunAdBank;
using FunAd.Engine.Models;
using FunAd.Engine.Training;

namespace FunAd.Engine.Workflows;

/// <summary>
/// A training run from the command line or a job: which images, which method and settings, where the
/// model goes, and optionally a labelled validation set (MVTec AD layout) to choose the kept epoch by.
/// <see cref="FunAd"/> applies to the methods that train FUN-AD (funad, funad-bank), <see cref="Bank"/>
/// to funad-bank's cleaning and scoring.
/// </summary>
public sealed record TrainRequest(
    IReadOnlyList<ImageSource> Images,
    string OutputDirectory,
    string Method,
    DetectionMode Mode,
    string Backbone,
    FeatureSettings Features,
    PatchCoreOptions PatchCore,
    FunAdOptions? FunAd = null,
    string Profile = FunAdProfiles.Fast,
    string? ValidationDirectory = null,
    FunAdBankOptions? Bank = null);
