using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Catalogue;

/// <summary>
/// The project catalogue: users and roles (Identity), projects, images, runs and API keys. This type is
/// the SQLite catalogue (its migrations are in Migrations/); <see cref="PostgresCatalogueDbContext"/>
/// is the same model on PostgreSQL with migrations of its own.
/// </summary>
public class CatalogueDbContext : IdentityDbContext<AppUser>
{
    public CatalogueDbContext(DbContextOptions<CatalogueDbContext> options) : base(options)
    {
    }

    /// <summary>For provider-specific subclasses, which EF Core keeps apart by type (model and migrations).</summary>
    protected CatalogueDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ImageAsset> Images => Set<ImageAsset>();
    public DbSet<TrainingRun> Runs => Set<TrainingRun>();
    public DbSet<RunEpoch> RunEpochs => Set<RunEpoch>();
    public DbSet<RunLogEntry> RunLog => Set<RunLogEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<ScoreResult> Scores => Set<ScoreResult>();
    public DbSet<Review> Reviews => Set<Review>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    public DbSet<WorkerNode> Workers => Set<WorkerNode>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<Project>(e =>
        {
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.Mode).HasMaxLength(16);
            e.Property(p => p.Backbone).HasMaxLength(1000);
            e.HasIndex(p => p.Name);
        });
        builder.Entity<ImageAsset>(e =>
        {
            e.Property(i => i.ContentHash).HasMaxLength(64);
            e.Property(i => i.OriginalName).HasMaxLength(1000);
            e.HasIndex(i => new { i.ProjectId, i.ContentHash }).IsUnique();
            e.HasIndex(i => new { i.ProjectId, i.Label });
            e.HasOne(i => i.Project).WithMany(p => p.Images).HasForeignKey(i => i.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<TrainingRun>(e =>
        {
            e.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(r => new { r.ProjectId, r.CreatedAt });
            e.HasIndex(r => r.Status);
            e.HasOne(r => r.Project).WithMany(p => p.Runs).HasForeignKey(r => r.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(r => r.EpochHistory).WithOne().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(r => r.Log).WithOne().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
            // The run's parts are complex types in the run's own row; each column keeps the name it had
            // as a flat property (EF would otherwise call them Progress_Phase, ...), so the schema is unchanged.
            e.ComplexProperty(r => r.Progress, p =>
            {
                p.Property(x => x.Phase).HasColumnName("Phase");
                p.Property(x => x.Fraction).HasColumnName("Progress");
                p.Property(x => x.Detail).HasColumnName("Detail");
                p.Property(x => x.Epoch).HasColumnName("Epoch");
                p.Property(x => x.Epochs).HasColumnName("Epochs");
                p.Property(x => x.Loss).HasColumnName("Loss");
                p.Property(x => x.AnomalousShare).HasColumnName("AnomalousShare");
                p.Property(x => x.EtaSeconds).HasColumnName("EtaSeconds");
            });
            e.ComplexProperty(r => r.Outcome, o =>
            {
                o.Property(x => x.ModelPath).HasColumnName("ModelPath");
                o.Property(x => x.OnnxPath).HasColumnName("OnnxPath");
                o.Property(x => x.SelectionRule).HasColumnName("SelectionRule");
                o.Property(x => x.ExcludedImages).HasColumnName("ExcludedImages");
                o.Property(x => x.ResumedFromEpoch).HasColumnName("ResumedFromEpoch");
                o.Property(x => x.SuggestedThreshold).HasColumnName("SuggestedThreshold");
                o.Property(x => x.SuggestedThresholdRule).HasColumnName("SuggestedThresholdRule");
                o.Property(x => x.MapMin).HasColumnName("MapMin");
                o.Property(x => x.MapMax).HasColumnName("MapMax");
                o.Property(x => x.PixelAuroc).HasColumnName("PixelAuroc");
                o.Property(x => x.Aupro).HasColumnName("Aupro");
                o.Property(x => x.MaskedImages).HasColumnName("MaskedImages");
                o.Property(x => x.PixelRocJson).HasColumnName("PixelRocJson");
            });
            e.ComplexProperty(r => r.Thresholds, t =>
            {
                t.Property(x => x.Low).HasColumnName("ThresholdLow");
                t.Property(x => x.High).HasColumnName("ThresholdHigh");
            });
        });
        builder.Entity<RunEpoch>(e => e.HasIndex(x => new { x.RunId, x.Epoch }).IsUnique());
        builder.Entity<ScoreResult>(e =>
        {
            e.HasIndex(x => new { x.RunId, x.Score });
            e.HasIndex(x => new { x.RunId, x.ImageId }).IsUnique();
            e.HasOne<TrainingRun>().WithMany().HasForeignKey(x => x.RunId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Image).WithMany().HasForeignKey(x => x.ImageId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Review>(e =>
        {
            e.Property(x => x.Verdict).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(x => x.ImageId).IsUnique();
            e.HasOne(x => x.Image).WithMany().HasForeignKey(x => x.ImageId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<AuditEntry>(e =>
        {
            e.Property(x => x.Actor).HasMaxLength(320);
            e.Property(x => x.Action).HasMaxLength(64);
            e.HasIndex(x => x.At);
        });
        builder.Entity<WorkerNode>(e =>
        {
            e.HasKey(w => w.Name);
            e.Property(w => w.Name).HasMaxLength(300);
            e.Property(w => w.Machine).HasMaxLength(255);
            e.Property(w => w.Role).HasMaxLength(16);
            e.Property(w => w.DeviceKind).HasMaxLength(16);
            e.Property(w => w.Device).HasMaxLength(300);
            e.Property(w => w.Queues).HasMaxLength(200);
        });
        builder.Entity<ApiKey>(e =>
        {
            e.Property(k => k.Hash).HasMaxLength(64);
            e.HasIndex(k => k.Hash).IsUnique();
        });

        // SQLite cannot order or compare DateTimeOffset values; store them as UTC ticks-based text that sorts.
        if (Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            foreach (var entity in builder.Model.GetEntityTypes())
            foreach (var property in entity.GetProperties().Where(p => p.ClrType == typeof(DateTimeOffset) || p.ClrType == typeof(DateTimeOffset?)))
                property.SetValueConverter(new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter());
        }
    }
}
