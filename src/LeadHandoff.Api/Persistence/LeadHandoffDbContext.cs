using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LeadHandoff.Api.Persistence;

/// One model for every provider; each provider has a derived context only so that its migrations live apart.
internal abstract class LeadHandoffDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<LeadRecord> Leads => Set<LeadRecord>();

    public DbSet<LeadExternalIdRecord> LeadExternalIds => Set<LeadExternalIdRecord>();

    public DbSet<InteractionEventRecord> InteractionEvents => Set<InteractionEventRecord>();

    public DbSet<DecisionRecord> Decisions => Set<DecisionRecord>();

    public DbSet<HandoffRecord> Handoffs => Set<HandoffRecord>();

    public DbSet<OutboxMessageRecord> OutboxMessages => Set<OutboxMessageRecord>();

    public DbSet<Handoffs.HandoffDeliveryRecord> HandoffDeliveries => Set<Handoffs.HandoffDeliveryRecord>();
    public DbSet<SalesFeedbackRecord> SalesFeedback => Set<SalesFeedbackRecord>();

    public DbSet<StageTransitionRecord> StageTransitions => Set<StageTransitionRecord>();

    public DbSet<SlaAlertRecord> SlaAlerts => Set<SlaAlertRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LeadRecord>(lead =>
        {
            lead.ToTable("leads");
            lead.HasKey(l => l.Id);
            lead.HasIndex(l => l.Email).IsUnique();
            lead.Property(l => l.Email).HasMaxLength(320);
            lead.Property(l => l.Stage).HasMaxLength(32);
            lead.Property(l => l.Version).IsConcurrencyToken();
            lead.HasMany(l => l.ExternalIds).WithOne().HasForeignKey(x => x.LeadId);
        });

        modelBuilder.Entity<LeadExternalIdRecord>(id =>
        {
            id.ToTable("lead_external_ids");
            id.HasKey(x => x.Key);
            id.Property(x => x.Key).HasMaxLength(300);
            // One id per system per lead, enforced where concurrent replicas cannot both slip one in.
            id.HasIndex(x => new { x.LeadId, x.System }).IsUnique();
            id.Property(x => x.System).HasMaxLength(50);
        });

        modelBuilder.Entity<InteractionEventRecord>(e =>
        {
            e.ToTable("interaction_events");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.DedupKey).IsUnique();
            e.HasIndex(x => new { x.LeadId, x.Id });
            e.Property(x => x.DedupKey).HasMaxLength(400);
            e.Property(x => x.Type).HasMaxLength(64);
        });

        modelBuilder.Entity<DecisionRecord>(d =>
        {
            d.ToTable("decisions");
            d.HasKey(x => x.Id);
            d.HasIndex(x => new { x.LeadId, x.Id });
        });

        modelBuilder.Entity<HandoffRecord>(h =>
        {
            h.ToTable("handoffs");
            h.HasKey(x => x.Seq);
            h.HasIndex(x => x.Id).IsUnique();
            // The database, not just the code, guarantees one handoff per lead per cycle.
            h.HasIndex(x => new { x.LeadId, x.Cycle }).IsUnique();
            h.HasIndex(x => new { x.Status, x.Seq });
            h.HasIndex(x => x.CreatedAt);
            h.Property(x => x.Status).HasMaxLength(32);
        });

        modelBuilder.Entity<OutboxMessageRecord>(o =>
        {
            o.ToTable("outbox_messages");
            o.HasKey(x => x.Id);
            // Only unpublished rows are ever searched for; the index stays as small as the backlog.
            o.HasIndex(x => new { x.AvailableAt, x.Id }).HasFilter("\"PublishedAt\" IS NULL").HasDatabaseName("IX_outbox_messages_pending");
            o.HasIndex(x => x.PublishedAt);
            o.HasIndex(x => x.ClaimToken);
            o.Property(x => x.MessageType).HasMaxLength(200);
        });

        modelBuilder.ApplyConfiguration(new Webhooks.DeadLetters.DeadLetterConfiguration());
        modelBuilder.ApplyConfiguration(new Ingestion.LeadMergeConfiguration());
        modelBuilder.ApplyConfiguration(new Handoffs.HandoffDeliveryConfiguration());
        SlaModel.Configure(modelBuilder);
        modelBuilder.ApplyConfiguration(new Webhooks.HubSpot.ContactFetchConfiguration());
        modelBuilder.ApplyConfiguration(new Webhooks.HubSpot.LeadErasureConfiguration());
    }
}

internal sealed class SqliteLeadHandoffDbContext(DbContextOptions<SqliteLeadHandoffDbContext> options)
    : LeadHandoffDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite hands DateTime back without a kind; everything stored is UTC.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

internal sealed class PostgresLeadHandoffDbContext(DbContextOptions<PostgresLeadHandoffDbContext> options)
    : LeadHandoffDbContext(options);
