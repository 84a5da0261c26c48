using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FunAd.Jobs.Catalogue;

/// <summary>Lets `dotnet ef migrations add --context CatalogueDbContext` build the SQLite context without starting the web host.</summary>
public sealed class DesignTimeCatalogueFactory : IDesignTimeDbContextFactory<CatalogueDbContext>
{
    public CatalogueDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CatalogueDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>
/// Lets `dotnet ef migrations add --context PostgresCatalogueDbContext` build the PostgreSQL context;
/// adding a migration needs no server, so the connection string is never opened.
/// </summary>
public sealed class DesignTimePostgresCatalogueFactory : IDesignTimeDbContextFactory<PostgresCatalogueDbContext>
{
    public PostgresCatalogueDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CatalogueDbContext>().UseNpgsql("Host=localhost;Database=funad_design_time").Options);
}
