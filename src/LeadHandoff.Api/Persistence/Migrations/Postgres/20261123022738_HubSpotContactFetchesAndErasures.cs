using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LeadHandoff.Api.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HubSpotContactFetchesAndErasures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "contact_fetches",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    SourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ObjectId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastError = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_contact_fetches", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "lead_erasures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    LeadId = table.Column<Guid>(type: "uuid", nullable: false),
                    SourceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    EventDedupKey = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ErasedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    InteractionsScrubbed = table.Column<int>(type: "integer", nullable: false),
                    HandoffsScrubbed = table.Column<int>(type: "integer", nullable: false),
                    DeadLettersScrubbed = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_lead_erasures", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_contact_fetches_ClaimToken",
                table: "contact_fetches",
                column: "ClaimToken");

            migrationBuilder.CreateIndex(
                name: "IX_contact_fetches_NextAttemptAt_Id",
                table: "contact_fetches",
                columns: new[] { "NextAttemptAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_contact_fetches_SourceId_ObjectId",
                table: "contact_fetches",
                columns: new[] { "SourceId", "ObjectId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_lead_erasures_EventDedupKey",
                table: "lead_erasures",
                column: "EventDedupKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_lead_erasures_LeadId",
                table: "lead_erasures",
                column: "LeadId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "contact_fetches");

            migrationBuilder.DropTable(
                name: "lead_erasures");
        }
    }
}
