using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LeadHandoff.Api.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SourcesSlaAndDeliveries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "MergedIntoId",
                table: "leads",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "AcceptHours",
                table: "handoffs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AcceptedAt",
                table: "handoffs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClosedAt",
                table: "handoffs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ContactAttempts",
                table: "handoffs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "FirstContactAt",
                table: "handoffs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "FirstContactHours",
                table: "handoffs",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SalesState",
                table: "handoffs",
                type: "TEXT",
                maxLength: 32,
                nullable: false,
                defaultValue: "awaitingAcceptance");

            migrationBuilder.AddColumn<DateTime>(
                name: "SlaCheckAt",
                table: "handoffs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SlaClaimToken",
                table: "handoffs",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "handoff_deliveries",
                columns: table => new
                {
                    HandoffId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Crm = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CrmRecordId = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    DeliveredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastFailure = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    LastFailureRetryable = table.Column<bool>(type: "INTEGER", nullable: true),
                    LastFailedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_handoff_deliveries", x => new { x.HandoffId, x.Crm });
                });

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
                name: "sales_feedback",
                columns: table => new
                {
                    FeedbackId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HandoffId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LeadId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    By = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sales_feedback", x => x.FeedbackId);
                });

            migrationBuilder.CreateTable(
                name: "sla_alerts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    HandoffId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Deadline = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    DueAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RaisedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sla_alerts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "stage_transitions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LeadId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HandoffId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FromStage = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    ToStage = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Cause = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    FeedbackId = table.Column<Guid>(type: "TEXT", nullable: true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stage_transitions", x => x.Id);
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
                name: "IX_leads_CreatedAt",
                table: "leads",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_leads_Stage",
                table: "leads",
                column: "Stage");

            migrationBuilder.CreateIndex(
                name: "IX_handoffs_AcceptedAt",
                table: "handoffs",
                column: "AcceptedAt");

            migrationBuilder.CreateIndex(
                name: "IX_handoffs_SlaCheckAt",
                table: "handoffs",
                column: "SlaCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_handoffs_sla_report",
                table: "handoffs",
                columns: new[] { "CreatedAt", "SalesState", "AcceptHours", "FirstContactHours" });

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
                name: "IX_sales_feedback_At_Type",
                table: "sales_feedback",
                columns: new[] { "At", "Type" });

            migrationBuilder.CreateIndex(
                name: "IX_sales_feedback_HandoffId_At",
                table: "sales_feedback",
                columns: new[] { "HandoffId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_sla_alerts_DueAt_Kind",
                table: "sla_alerts",
                columns: new[] { "DueAt", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_sla_alerts_HandoffId_Deadline_Kind",
                table: "sla_alerts",
                columns: new[] { "HandoffId", "Deadline", "Kind" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_stage_transitions_At_ToStage",
                table: "stage_transitions",
                columns: new[] { "At", "ToStage" });

            migrationBuilder.CreateIndex(
                name: "IX_stage_transitions_LeadId_Id",
                table: "stage_transitions",
                columns: new[] { "LeadId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_webhook_dead_letters_Status_Id",
                table: "webhook_dead_letters",
                columns: new[] { "Status", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "handoff_deliveries");

            migrationBuilder.DropTable(
                name: "lead_merges");

            migrationBuilder.DropTable(
                name: "sales_feedback");

            migrationBuilder.DropTable(
                name: "sla_alerts");

            migrationBuilder.DropTable(
                name: "stage_transitions");

            migrationBuilder.DropTable(
                name: "webhook_dead_letters");

            migrationBuilder.DropIndex(
                name: "IX_leads_CreatedAt",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "IX_leads_Stage",
                table: "leads");

            migrationBuilder.DropIndex(
                name: "IX_handoffs_AcceptedAt",
                table: "handoffs");

            migrationBuilder.DropIndex(
                name: "IX_handoffs_SlaCheckAt",
                table: "handoffs");

            migrationBuilder.DropIndex(
                name: "IX_handoffs_sla_report",
                table: "handoffs");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "leads");

            migrationBuilder.DropColumn(
                name: "AcceptHours",
                table: "handoffs");

            migrationBuilder.DropColumn(
                name: "AcceptedAt",
                table: "handoffs");

            migrationBuilder.DropColumn(
                name: "ClosedAt",
                table: "handoffs");

            migrationBuilder.DropColumn(
                name: "ContactAttempts",
                table: "handoffs");

            migrationBuilder.DropColumn(
                name: "FirstContactAt",
                table: "handoffs");

            migrationBuilder.DropColumn(
                name: "FirstContactHours",
                table: "handoffs");

            migrationBuilder.DropColumn(
                name: "SalesState",
                table: "handoffs");

            migrationBuilder.DropColumn(
                name: "SlaCheckAt",
                table: "handoffs");

            migrationBuilder.DropColumn(
                name: "SlaClaimToken",
                table: "handoffs");
        }
    }
}
