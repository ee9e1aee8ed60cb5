using LeadHandoff.Api.Policy;
using LeadHandoff.Domain.Qualification;

namespace LeadHandoff.Api.Tests;

public sealed class PolicyFileTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("policy-lint-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void Parse_ShippedDefault_IsValidAndReadsTheDomainLists()
    {
        var path = Path.Combine(PolicyFile.ShippedDirectory, "default-policy.yaml");

        var result = PolicyFile.Parse(File.ReadAllText(path), path, PolicyFile.ShippedDirectory);

        Assert.Empty(result.Errors);
        var freeMail = result.Policy!.Blacklist.Single(b => b.Id == "free-mail");
        Assert.Contains("gmail.com", freeMail.Values);
        Assert.True(freeMail.Values.Count > 50);
        Assert.Contains("mailinator.com", result.Policy.Blacklist.Single(b => b.Id == "disposable-mail").Values);
    }

    [Fact]
    public void Parse_NestedConditions_BuildsTheTreeAndDescribesIt()
    {
        var result = Parse("""
            version: v
            mql:
              fit:
                - id: target
                  all:
                    - { field: country, op: in, values: [US, CA] }
                    - any:
                        - { field: industry, op: eq, value: Software }
                        - not: { field: companySize, op: lt, value: 10 }
            """);

        var rule = Assert.Single(result.Policy!.Mql.Fit);
        var all = Assert.IsType<AllOf>(rule.When);
        Assert.IsType<Negation>(Assert.IsType<AnyOf>(all.Conditions[1]).Conditions[1]);
        Assert.Equal("all of (country in US, CA; any of (industry eq Software; not (companySize lt 10)))", rule.Description);
    }

    public static TheoryData<string, string> BrokenFiles => new()
    {
        { "version: v\nmql:\n  fit:\n    - id: a\n      field: company\n      opp: exists\n", "line 6: mql.fit[a]: unknown key 'opp'" },
        { "version: v\nmql:\n  fit:\n    - id: a\n      field: company\n      op: exists\n      any: []\n", "line 4: mql.fit[a]: states several conditions" },
        { "version: v\nmql:\n  engagement:\n    - id: e\n      interactions: { types: [pageSniffed], withinDays: 3 }\n", "event type 'pageSniffed'" },
        { "version: v\nmql:\n  engagement:\n    - id: e\n      interactions: { atLeast: 2 }\n", "withinDays is required" },
        { "version: v\nmql:\n  fit:\n    - id: a\n      field: nope\n      op: exists\n", "line 4: mql.fit[a]: field 'nope'" },
        { "version: v\nmql: [\n", "line 3" },
        { "version: v\nblacklist:\n  - id: b\n    match: emailDomain\n    reason: r\n    valuesFile: ../../etc/passwd\n", "must be a plain file name" },
        { "version: v\nblacklist:\n  - id: b\n    match: emailDomain\n    reason: r\n    valuesFile: missing.txt\n", "valuesFile 'missing.txt' does not exist" },
        { "version: v\nallow:\n  - id: a\n    reason: r\n    leadIds: [not-a-uuid]\n", "lead id 'not-a-uuid' is not a UUID" },
        { "version: v\nscoring:\n  engagement:\n    points: { pageViewed: lots }\n", "scoring.engagement.points.pageViewed: must be a number" },
        { "version: v\nsla:\n  giveUp: shrug\n", "sla.giveUp: 'shrug'" },
        { "version: v\nmql:\n  engagement:\n    - id: e\n      lastTouchWithinDays:\n", "lastTouchWithinDays needs a whole number of days" },
        { "version: v\nmql:\n  fit:\n    - id: n\n      not: { field: company, op: exists, vaule: x }\n", "unknown key 'vaule'" },
        { "version: v\nblacklist:\n  - id: t\n    match: condition\n    reason: r\n    when: { feild: company, op: exists }\n", "unknown key 'feild'" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void Parse_BrokenFile_NamesTheFileTheLineAndWhatIsWrong(string yaml, string expected)
    {
        var result = Parse(yaml);

        Assert.Null(result.Policy);
        Assert.All(result.Errors, e => Assert.StartsWith("test.yaml: ", e, StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ValuesFileNextToThePolicy_IsRead()
    {
        File.WriteAllText(Path.Combine(_directory.FullName, "competitors.txt"), "# ours\nRival.example\n\nother.example # sister brand\n");

        var result = Parse("version: v\nblacklist:\n  - id: c\n    match: emailDomain\n    reason: Competitor\n    valuesFile: competitors.txt\n");

        Assert.Equal(["other.example", "rival.example"], result.Policy!.Blacklist[0].Values.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Lint_ValidFile_ExitsZero()
    {
        var path = Write("good.yaml", "version: v\nmql:\n  minScore: 10\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(PolicyLint.Valid, PolicyLint.Run(["policy", "lint", path], output, error));
        Assert.Contains("valid, version v", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(error.ToString());
    }

    [Fact]
    public void Lint_InvalidFile_ExitsOneWithOneLinePerProblem()
    {
        var good = Write("good.yaml", "version: v\n");
        var bad = Write("bad.yaml", "version: v\nmql:\n  minScore: -1\n  fit:\n    - id: a\n      field: nope\n      op: exists\n");
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(PolicyLint.Invalid, PolicyLint.Run(["policy", "lint", good, bad], output, error));
        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.StartsWith(bad + ": ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("line 5: mql.fit[a]: field 'nope'", StringComparison.Ordinal));
    }

    [Fact]
    public void Lint_NoFile_ExitsTwoWithUsage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(PolicyLint.Usage, PolicyLint.Run(["policy", "lint"], output, error));
        Assert.StartsWith("usage:", error.ToString(), StringComparison.Ordinal);
    }

    private PolicyLoadResult Parse(string yaml) => PolicyFile.Parse(yaml, "test.yaml", _directory.FullName);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}

public sealed class PolicyDocumentationTests
{
    [Fact]
    public void CompleteExample_InTheDocumentation_IsAValidPolicy()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LeadHandoff.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var doc = File.ReadAllText(Path.Combine(root.FullName, "docs", "policy.md"));
        var start = doc.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var yaml = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];

        var result = PolicyFile.Parse(yaml, "docs/policy.md", PolicyFile.ShippedDirectory);

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Policy!.Allow.Count);
        Assert.Single(result.Policy.Requalify);
    }
}
