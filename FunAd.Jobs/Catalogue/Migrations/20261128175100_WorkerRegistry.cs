using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FunAd.Jobs.Catalogue.Migrations
{
    /// <inheritdoc />
    public partial class WorkerRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Workers",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Machine = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    ProcessId = table.Column<int>(type: "INTEGER", nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DeviceKind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Device = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    MemoryBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Queues = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    JobSlots = table.Column<int>(type: "INTEGER", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SeenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    StoppedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Workers", x => x.Name);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Workers");
        }
    }
}
