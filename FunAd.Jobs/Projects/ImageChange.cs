using FunAd.Jobs.Catalogue;

namespace FunAd.Jobs.Projects;

/// <summary>What a reviewer changes on one image; null leaves that part as it is.</summary>
/// <param name="DefectType">For a defective image: its kind ("scratch"); empty clears it. Ignored for other labels, which have none.</param>
public sealed record ImageChange(ImageLabel? Label = null, string? DefectType = null, bool? LeftOutOfTraining = null);
