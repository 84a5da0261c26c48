namespace FunAd.Engine.Features;

/// <summary>An image file to process; <see cref="Name"/> is how reports refer to it (a path relative to the data set).</summary>
public sealed record ImageSource(string Name, string Path);
