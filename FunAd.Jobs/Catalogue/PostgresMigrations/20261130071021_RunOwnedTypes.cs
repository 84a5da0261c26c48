using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FunAd.Jobs.Catalogue.PostgresMigrations
{
    /// <summary>
    /// Empty on purpose: TrainingRun's progress, outcome and thresholds became complex types mapped to
    /// the same columns, so the schema is unchanged; the migration only records the new model snapshot.
    /// </summary>
    public partial class RunOwnedTypes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
