using FunAd.Jobs.Uploads;

namespace FunAd.Jobs.Hosting;

/// <summary>Settings of the "FunAd" configuration section that the application around the engine reads.</summary>
public sealed class CatalogueOptions
{
    public const string Section = "FunAd";

    /// <summary>Images, features and models; with SQLite also the catalogue and the job queue.</summary>
    public string DataRoot { get; set; } = "./data";

    /// <summary>"Sqlite" (default) or "Postgres" (see <see cref="CatalogueDatabase"/>).</summary>
    public string Storage { get; set; } = "Sqlite";

    /// <summary>
    /// The PostgreSQL connection string: ConnectionStrings:Catalogue, outside this section, where hosts
    /// and tools look for connection strings; so it is set by <see cref="CatalogueSetup.ReadOptions"/>, not bound.
    /// </summary>
    public string? ConnectionString { get; internal set; }

    /// <summary>The catalogue's database file name under the data root (SQLite).</summary>
    public string CatalogueFile { get; set; } = "catalogue.db";

    /// <summary>Hangfire's database file name under the data root (SQLite).</summary>
    public string JobsFile { get; set; } = "jobs.db";

    /// <summary>Device for jobs: auto, cpu or cuda.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>Concurrent training jobs per process (GPU-bound: one).</summary>
    public int TrainingWorkers { get; set; } = 1;

    /// <summary>
    /// Hangfire queues this process takes training jobs from, comma-separated ("gpu,cpu"). Empty: the
    /// web app takes every queue; a worker takes gpu and cpu with a GPU, cpu without.
    /// </summary>
    public string? Queues { get; set; }

    /// <summary>The queue new runs go to. Empty: gpu while a live GPU worker listens to it, else cpu.</summary>
    public string? RunQueue { get; set; }

    /// <summary>Whether the web app itself trains (true on one machine; false when <c>funad worker</c> processes do it).</summary>
    public bool RunJobs { get; set; } = true;

    /// <summary>Bounds on uploaded files and archives ("FunAd:Uploads").</summary>
    public UploadLimits Uploads { get; set; } = new();

    public string CatalogueConnectionString(string root) =>
        // Private cache (the default): SQLite's shared-cache mode locks tables and answers "locked" at
        // once instead of waiting, which concurrent requests and jobs would see as errors.
        $"Data Source={Path.Combine(root, CatalogueFile)};Foreign Keys=True;Default Timeout=30";
}
