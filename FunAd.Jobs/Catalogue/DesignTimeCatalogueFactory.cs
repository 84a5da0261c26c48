using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace FunAd.Jobs.Catalogue;

/// <summary>Lets `dotnet ef migrations add` build the context without starting the web host.</summary>
public sealed class DesignTimeCatalogueFactory : IDesignTimeDbContextFactory<CatalogueDbContext>
{
    public CatalogueDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<CatalogueDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
