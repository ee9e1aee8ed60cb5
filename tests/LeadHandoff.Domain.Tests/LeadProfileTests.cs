using LeadHandoff.Domain.Leads;

namespace LeadHandoff.Domain.Tests;

public sealed class LeadProfileTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);

    private static ContactData Contact(string? email = null, string? title = null, int? score = null, Dictionary<string, string>? custom = null) =>
        new(email, null, null, null, null, title, null, null, null, null, score, ContactData.NoValues, custom ?? new Dictionary<string, string>());

    [Fact]
    public void Merge_NewerEvent_OverwritesWhatItSends()
    {
        var profile = LeadProfile.Empty.Merge(Contact(title: "Manager", score: 10), Monday);

        var merged = profile.Merge(Contact(title: "Director"), Monday.AddDays(1));

        Assert.Equal("Director", merged.JobTitle);
        Assert.Equal(10, merged.Score);
        Assert.Equal(Monday.AddDays(1), merged.AsOf);
    }

    [Fact]
    public void Merge_OlderEvent_OnlyFillsUnknownFields()
    {
        var profile = LeadProfile.Empty.Merge(Contact(title: "Director"), Monday.AddDays(1));

        var merged = profile.Merge(Contact(title: "Manager", score: 30), Monday);

        Assert.Equal("Director", merged.JobTitle);
        Assert.Equal(30, merged.Score);
        Assert.Equal(Monday.AddDays(1), merged.AsOf);
    }

    [Fact]
    public void Merge_NullFields_NeverEraseKnownValues()
    {
        var profile = LeadProfile.Empty.Merge(Contact(email: "a@acme.io", title: "Director", score: 40), Monday);

        var merged = profile.Merge(Contact(), Monday.AddDays(1));

        Assert.Equal("a@acme.io", merged.Email);
        Assert.Equal("Director", merged.JobTitle);
        Assert.Equal(40, merged.Score);
    }

    [Fact]
    public void Merge_Email_IsNormalized()
    {
        var merged = LeadProfile.Empty.Merge(Contact(email: "  Jane.Doe@ACME.io "), Monday);
        Assert.Equal("jane.doe@acme.io", merged.Email);
    }

    [Fact]
    public void Merge_CustomFields_AreMergedKeyByKey()
    {
        var profile = LeadProfile.Empty.Merge(Contact(custom: new() { ["budget"] = "50k", ["team"] = "5" }), Monday);

        var newer = profile.Merge(Contact(custom: new() { ["budget"] = "80k" }), Monday.AddDays(1));
        var older = newer.Merge(Contact(custom: new() { ["budget"] = "10k", ["region"] = "EMEA" }), Monday);

        Assert.Equal("80k", older.CustomFields["budget"]);
        Assert.Equal("5", older.CustomFields["team"]);
        Assert.Equal("EMEA", older.CustomFields["region"]);
    }

    [Theory]
    [InlineData(" Jane@Acme.IO ", "jane@acme.io")]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void Normalize_Email_TrimsAndLowerCases(string? input, string? expected) =>
        Assert.Equal(expected, EmailAddress.Normalize(input));

    [Theory]
    [InlineData("Jane.Doe+News@Gmail.com", "janedoe@gmail.com")]
    [InlineData("jane.doe@googlemail.com", "janedoe@gmail.com")]
    [InlineData("j.a.n.e@gmail.com", "jane@gmail.com")]
    [InlineData("+only@gmail.com", "+only@gmail.com")]
    [InlineData("jane+webinar@outlook.com", "jane@outlook.com")]
    [InlineData("jane+q4@icloud.com", "jane@icloud.com")]
    [InlineData("jane.doe@outlook.com", "jane.doe@outlook.com")]
    [InlineData("jane+sales@acme.io", "jane+sales@acme.io")]
    [InlineData("jane.doe@acme.io", "jane.doe@acme.io")]
    [InlineData("jane+x@mail.gmail.com", "jane+x@mail.gmail.com")]
    [InlineData("ÉLODIE@Exemple.FR", "élodie@exemple.fr")]
    [InlineData("not-an-address", "not-an-address")]
    public void Normalize_Email_AppliesProviderRulesOnlyWhereTheyAreCertain(string input, string expected) =>
        Assert.Equal(expected, EmailAddress.Normalize(input));

    [Theory]
    [InlineData("jane@acme.io", true)]
    [InlineData("jane.doe+news@sub.acme.io", true)]
    [InlineData("jane", false)]
    [InlineData("@acme.io", false)]
    [InlineData("jane@acme", false)]
    [InlineData("jane@@acme.io", false)]
    [InlineData("ja ne@acme.io", false)]
    [InlineData("jane@acme.", false)]
    public void IsPlausible_Email_RejectsObviousGarbage(string email, bool expected) =>
        Assert.Equal(expected, EmailAddress.IsPlausible(email));
}
