using Microsoft.EntityFrameworkCore;

namespace FunAd.Jobs.Catalogue;

/// <summary>
/// The catalogue on PostgreSQL. A type of its own only so that EF Core finds its own migrations
/// (PostgresMigrations/, attributed to this type) rather than the SQLite ones; the model is the
/// base's, with DateTimeOffset as timestamptz (UTC) instead of SQLite's converted numbers.
/// </summary>
public sealed class PostgresCatalogueDbContext(DbContextOptions options) : CatalogueDbContext(options);
