using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadHandoff.Api.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class HandoffDeliveries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "handoff_deliveries",
                columns: table => new
                {
                    HandoffId = table.Column<Guid>(type: "uuid", nullable: false),
                    Crm = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CrmRecordId = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    DeliveredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LastFailure = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    LastFailureRetryable = table.Column<bool>(type: "boolean", nullable: true),
                    LastFailedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_handoff_deliveries", x => new { x.HandoffId, x.Crm });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "handoff_deliveries");
        }
    }
}
