using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LeadHandoff.Bench;

/// One prepared webhook request: the body is built before the run; only the send time is written into it, in
/// place, just before it is signed and sent.
internal sealed class PreparedRequest(string webhookId, byte[] body, int[] sentAtOffsets, int[] leads)
{
    public string WebhookId { get; } = webhookId;

    public byte[] Body { get; } = body;

    /// Where each event's <c>customFields.benchSentAt</c> placeholder starts in <see cref="Body"/>.
    public IReadOnlyList<int> SentAtOffsets { get; } = sentAtOffsets;

    /// The lead index of each event in the request.
    public IReadOnlyList<int> Leads { get; } = leads;

    /// Writes the send time (Unix milliseconds with three decimals, fixed width) into every event of the body.
    public void StampSentAt(long unixMicroseconds)
    {
        Span<byte> text = stackalloc byte[Workload.SentAtPlaceholder.Length];
        var ms = unixMicroseconds / 1000;
        var fraction = unixMicroseconds % 1000;
        if (!ms.TryFormat(text[..13], out var written, "D13", CultureInfo.InvariantCulture) || written != 13)
        {
            throw new InvalidOperationException("The clock is outside the range the placeholder can hold.");
        }

        text[13] = (byte)'.';
        fraction.TryFormat(text[14..], out _, "D3", CultureInfo.InvariantCulture);
        foreach (var offset in SentAtOffsets)
        {
            text.CopyTo(Body.AsSpan(offset));
        }
    }
}

/// The events of one run. Leads are introduced at a steady pace over the run (so handoffs are spread evenly
/// rather than bunched at the start); the other events revisit leads already introduced, chosen at random with a
/// fixed seed. A lead qualifies or not by its index, so the expected number of handoffs is known in advance.
internal sealed class Workload
{
    /// Fixed width, so the real value can be written over it without moving anything: 13 digits, '.', 3 digits.
    public const string SentAtPlaceholder = "9999999999999.999";

    private static readonly byte[] PlaceholderBytes = Encoding.ASCII.GetBytes(SentAtPlaceholder);

    private static readonly string[] FirstNames = ["Jane", "Ana", "Li", "Omar", "Priya", "Lucas", "Mia", "Kenji", "Sofia", "Noah"];
    private static readonly string[] LastNames = ["Doe", "Silva", "Chen", "Haddad", "Patel", "Moreau", "Novak", "Sato", "Rossi", "Berg"];
    private static readonly string[] RepeatTypes = ["pageViewed", "emailOpened", "emailClicked", "contentDownloaded", "webinarAttended"];
    private static readonly string[] Topics = ["pricing", "integrations", "security", "reporting", "api", "onboarding"];

    private readonly bool[] _qualifies;

    private Workload(string runTag, PreparedRequest[] requests, int events, bool[] qualifies, int qualifyingLeads)
    {
        RunTag = runTag;
        Requests = requests;
        Events = events;
        _qualifies = qualifies;
        QualifyingLeads = qualifyingLeads;
    }

    /// Stamped on every event as <c>customFields.benchRun</c>, so handoffs of other runs (or the warm-up) are told apart.
    public string RunTag { get; }

    public IReadOnlyList<PreparedRequest> Requests { get; }

    public int Events { get; }

    public int Leads => _qualifies.Length;

    public int QualifyingLeads { get; }

    public bool Qualifies(int lead) => _qualifies[lead];

    public static Workload Build(string runTag, int events, int leads, double qualifying, int batch, int bodyBytes, DateTimeOffset occurredAt)
    {
        leads = Math.Clamp(leads, 1, events);
        var qualifies = new bool[leads];
        var qualifyingLeads = 0;
        for (var j = 0; j < leads; j++)
        {
            // Spreads the qualifying fraction exactly and evenly over the lead indexes.
            qualifies[j] = Math.Floor((j + 1) * qualifying) > Math.Floor(j * qualifying);
            qualifyingLeads += qualifies[j] ? 1 : 0;
        }

        var random = new Random(20261122);
        var eventLeads = new int[events];
        var introduced = 0;
        for (var i = 0; i < events; i++)
        {
            var due = (int)((long)i * leads / events) + 1;
            eventLeads[i] = due > introduced ? introduced++ : random.Next(introduced);
        }

        var occurred = occurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var padding = PaddingFor(runTag, occurred, bodyBytes);
        var requests = new PreparedRequest[(events + batch - 1) / batch];
        var buffer = new ArrayBufferWriter<byte>(batch * (bodyBytes + 256));
        var firstSeen = new bool[leads];
        for (var r = 0; r < requests.Length; r++)
        {
            buffer.ResetWrittenCount();
            var first = r * batch;
            var count = Math.Min(batch, events - first);
            var requestLeads = new int[count];
            using (var writer = new Utf8JsonWriter(buffer))
            {
                if (batch > 1)
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("events");
                }

                for (var k = 0; k < count; k++)
                {
                    var i = first + k;
                    var lead = eventLeads[i];
                    requestLeads[k] = lead;
                    var isFirst = !firstSeen[lead];
                    firstSeen[lead] = true;
                    WriteEvent(writer, runTag, i, lead, qualifies[lead], isFirst, occurred, padding);
                }

                if (batch > 1)
                {
                    writer.WriteEndArray();
                    writer.WriteEndObject();
                }
            }

            var body = buffer.WrittenSpan.ToArray();
            requests[r] = new PreparedRequest($"req_{runTag}_{r}", body, FindPlaceholders(body, count), requestLeads);
        }

        return new Workload(runTag, requests, events, qualifies, qualifyingLeads);
    }

    private static string PaddingFor(string runTag, string occurred, int bodyBytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteEvent(writer, runTag, 0, 0, true, true, occurred, string.Empty);
        }

        return new string('x', Math.Max(0, bodyBytes - buffer.WrittenCount));
    }

    private static void WriteEvent(Utf8JsonWriter w, string runTag, int index, int lead, bool qualifies, bool isFirst, string occurredAt, string padding)
    {
        var first = FirstNames[lead % FirstNames.Length];
        var last = LastNames[lead / FirstNames.Length % LastNames.Length];
        var companyNo = lead % 4999;

        // Non-qualifying leads alternate between a free-mail address (blacklisted) and a score below the MQL bar.
        var freeMail = !qualifies && lead % 2 == 0;
        var domain = freeMail ? "gmail.com" : $"company{companyNo}.io";
        var email = $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{lead}.{runTag}@{domain}";

        w.WriteStartObject();
        w.WriteString("eventId", $"evt_{runTag}_{index}");
        w.WriteString("type", isFirst ? "formSubmitted" : RepeatTypes[index % RepeatTypes.Length]);
        w.WriteString("occurredAt", occurredAt);

        w.WriteStartObject("lead");
        w.WriteString("email", email);
        w.WriteString("firstName", first);
        w.WriteString("lastName", last);
        w.WriteString("phone", "+1 555 0100");
        w.WriteString("company", $"Company {companyNo}");
        w.WriteString("jobTitle", "VP Marketing");
        w.WriteNumber("companySize", 250);
        w.WriteString("website", $"https://company{companyNo}.io");
        w.WriteString("country", "US");
        w.WriteString("industry", "Software");
        w.WriteNumber("score", qualifies || freeMail ? 72 : 30);
        w.WriteStartObject("externalIds");
        w.WriteString("hubspot", $"{runTag}-{lead}");
        w.WriteEndObject();
        w.WriteStartObject("customFields");
        w.WritePropertyName("benchSentAt");
        w.WriteRawValue(SentAtPlaceholder, skipInputValidation: true);
        w.WriteString("benchRun", runTag);
        w.WriteString("budget", "50k-100k");
        w.WriteString("timeline", "this-quarter");
        w.WriteString("utmSource", "linkedin");
        w.WriteString("utmMedium", "paid-social");
        w.WriteString("utmCampaign", "q4-launch-emea-retargeting");
        w.WriteString("preferredContact", "email");
        w.WriteString("consent", "marketing-and-sales");
        w.WriteString("notes", padding);
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartObject("interaction");
        w.WriteString("channel", "web");
        w.WriteString("name", isFirst ? "Pricing page" : "Product tour");
        w.WriteString("url", "https://vendor.example/pricing");
        w.WriteString("campaign", "Q4");
        w.WriteStartArray("topics");
        w.WriteStringValue(Topics[index % Topics.Length]);
        w.WriteStringValue(Topics[(index + 1) % Topics.Length]);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static int[] FindPlaceholders(byte[] body, int expected)
    {
        var offsets = new int[expected];
        var from = 0;
        for (var k = 0; k < expected; k++)
        {
            var at = body.AsSpan(from).IndexOf(PlaceholderBytes);
            if (at < 0)
            {
                throw new InvalidOperationException("A prepared body lost its benchSentAt placeholder.");
            }

            offsets[k] = from + at;
            from += at + PlaceholderBytes.Length;
        }

        return offsets;
    }

    /// A short random tag that makes every run's event ids, emails and external ids new, so runs against the same
    /// database neither collide as duplicates nor find leads already qualified.
    public static string NewRunTag() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
}
