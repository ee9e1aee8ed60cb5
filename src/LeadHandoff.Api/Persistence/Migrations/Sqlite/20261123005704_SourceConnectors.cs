using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadHandoff.Api.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SourceConnectors : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "MergedIntoId",
                table: "leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "lead_merges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WinnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LoserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    EventDedupKey = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    MergedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_merges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_dead_letters",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SourceId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ContentType = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    HeadersJson = table.Column<string>(type: "TEXT", nullable: false),
                    Body = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ErrorsJson = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ReingestedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_webhook_dead_letters", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_lead_merges_LoserId",
                table: "lead_merges",
                column: "LoserId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_lead_merges_WinnerId",
                table: "lead_merges",
                column: "WinnerId");

            migrationBuilder.CreateIndex(
                name: "IX_webhook_dead_letters_Status_Id",
                table: "webhook_dead_letters",
                columns: new[] { "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "lead_merges");

            migrationBuilder.DropTable(
                name: "webhook_dead_letters");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "leads");
        }
    }
}
