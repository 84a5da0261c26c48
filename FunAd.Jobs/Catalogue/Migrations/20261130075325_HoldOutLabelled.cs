using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FunAd.Jobs.Catalogue.Migrations
{
    /// <inheritdoc />
    public partial class HoldOutLabelled : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "HoldOutLabelled",
                table: "Runs",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HoldOutLabelled",
                table: "Runs");
        }
    }
}
