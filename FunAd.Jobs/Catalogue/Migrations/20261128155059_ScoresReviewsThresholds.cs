using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FunAd.Jobs.Catalogue.Migrations
{
    /// <inheritdoc />
    public partial class ScoresReviewsThresholds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "Aupro",
                table: "Runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ExcludeConfirmedDefects",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "ExcludedImages",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<double>(
                name: "MapMax",
                table: "Runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "MapMin",
                table: "Runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "MaskedImages",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<double>(
                name: "PixelAuroc",
                table: "Runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "SuggestedThreshold",
                table: "Runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SuggestedThresholdRule",
                table: "Runs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ThresholdHigh",
                table: "Runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "ThresholdLow",
                table: "Runs",
                type: "REAL",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Reviews",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ImageId = table.Column<long>(type: "INTEGER", nullable: false),
                    Verdict = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    By = table.Column<string>(type: "TEXT", nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Reviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Reviews_Images_ImageId",
                        column: x => x.ImageId,
                        principalTable: "Images",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Scores",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RunId = table.Column<int>(type: "INTEGER", nullable: false),
                    ImageId = table.Column<long>(type: "INTEGER", nullable: false),
                    Score = table.Column<double>(type: "REAL", nullable: false),
                    HeatmapPath = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Scores", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Scores_Images_ImageId",
                        column: x => x.ImageId,
                        principalTable: "Images",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_Scores_Runs_RunId",
                        column: x => x.RunId,
                        principalTable: "Runs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Reviews_ImageId",
                table: "Reviews",
                column: "ImageId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Scores_ImageId",
                table: "Scores",
                column: "ImageId");

            migrationBuilder.CreateIndex(
                name: "IX_Scores_RunId_ImageId",
                table: "Scores",
                columns: new[] { "RunId", "ImageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Scores_RunId_Score",
                table: "Scores",
                columns: new[] { "RunId", "Score" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Reviews");

            migrationBuilder.DropTable(
                name: "Scores");

            migrationBuilder.DropColumn(
                name: "Aupro",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ExcludeConfirmedDefects",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ExcludedImages",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "MapMax",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "MapMin",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "MaskedImages",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "PixelAuroc",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "SuggestedThreshold",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "SuggestedThresholdRule",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ThresholdHigh",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "ThresholdLow",
                table: "Runs");
        }
    }
}
