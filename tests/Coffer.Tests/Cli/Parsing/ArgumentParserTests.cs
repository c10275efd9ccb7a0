using Coffer.Cli.Parsing;
using Coffer.Errors;

namespace Coffer.Tests.Cli.Parsing;

public class ArgumentParserTests
{
    private static CommandSpec Spec(int min = 0, int max = int.MaxValue) => new()
    {
        Name = "demo",
        Summary = "a command for tests",
        Usage = "demo [flags] <arg>...",
        Examples = [],
        MinArguments = min,
        MaxArguments = max,
        Options =
        [
            new OptionSpec("output", 'o', "path", "where to write"),
            new OptionSpec("username", 'u', "name", "who"),
            new OptionSpec("annotation", 'a', "key=value", "an annotation", Repeatable: true),
            new OptionSpec("debug", 'd', null, "log more"),
            new OptionSpec("keep", 'k', null, "keep files"),
            new OptionSpec("plain-http", null, null, "use http"),
        ],
        Run = (_, _) => Task.FromResult(0),
    };

    [Fact]
    public void Parse_LongFlagWithSeparateValue_ReadsTheNextArgument()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["--output", "dir", "ref"]);

        Assert.Equal("dir", parsed.Value("output"));
        Assert.Equal(["ref"], parsed.Arguments);
    }

    [Theory]
    [InlineData("--output=dir", "dir")]
    [InlineData("--output=", "")]
    [InlineData("--output=a=b", "a=b")]
    [InlineData("--output=-x", "-x")]
    public void Parse_LongFlagWithEquals_TakesTheRest(string arg, string expected)
    {
        var parsed = ArgumentParser.Parse(Spec(), [arg]);

        Assert.Equal(expected, parsed.Value("output"));
        Assert.Empty(parsed.Arguments);
    }

    [Fact]
    public void Parse_LongFlagValueStartingWithDash_IsTakenAsValue()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["--output", "-", "--username", "--odd"]);

        Assert.Equal("-", parsed.Value("output"));
        Assert.Equal("--odd", parsed.Value("username"));
    }

    [Theory]
    [InlineData("-o dir")]
    [InlineData("-odir")]
    public void Parse_ShortFlagWithValue_IsRead(string commandLine)
    {
        var parsed = ArgumentParser.Parse(Spec(), commandLine.Split(' '));

        Assert.Equal("dir", parsed.Value("output"));
    }

    [Fact]
    public void Parse_BundledSwitches_SetEachOne()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["-dk", "ref"]);

        Assert.True(parsed.Flag("debug"));
        Assert.True(parsed.Flag("keep"));
        Assert.False(parsed.Flag("plain-http"));
        Assert.Equal(["ref"], parsed.Arguments);
    }

    [Fact]
    public void Parse_BundledSwitchesEndingInValueFlag_TakeTheRestAsValue()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["-dkuci", "-dko", "out"]);

        Assert.True(parsed.Flag("debug"));
        Assert.Equal("ci", parsed.Value("username"));
        Assert.Equal("out", parsed.Value("output"));
    }

    [Fact]
    public void Parse_DoubleDash_EndsFlags()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["-d", "--", "--output", "-k", "--"]);

        Assert.True(parsed.Flag("debug"));
        Assert.False(parsed.Has("output"));
        Assert.False(parsed.Has("keep"));
        Assert.Equal(["--output", "-k", "--"], parsed.Arguments);
    }

    [Fact]
    public void Parse_LoneDash_IsAnArgument()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["-", "ref"]);

        Assert.Equal(["-", "ref"], parsed.Arguments);
    }

    [Fact]
    public void Parse_FlagsAndArgumentsInterleaved_KeepArgumentOrder()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["one", "-d", "two", "--output", "o", "three"]);

        Assert.Equal(["one", "two", "three"], parsed.Arguments);
    }

    [Theory]
    [InlineData("--nope", "unknown flag --nope for 'coffer demo'")]
    [InlineData("--nope=1", "unknown flag --nope for 'coffer demo'")]
    [InlineData("--Debug", "unknown flag --Debug for 'coffer demo'")]
    [InlineData("-x", "unknown flag -x for 'coffer demo'")]
    [InlineData("-dx", "unknown flag -x for 'coffer demo'")]
    public void Parse_UnknownFlag_NamesIt(string arg, string message)
    {
        var error = Assert.Throws<UsageException>(() => ArgumentParser.Parse(Spec(), [arg]));

        Assert.Equal(message, error.Message);
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
    }

    [Theory]
    [InlineData("--output")]
    [InlineData("-o")]
    [InlineData("-do")]
    public void Parse_MissingValue_NamesFlagAndValue(string arg)
    {
        var error = Assert.Throws<UsageException>(() => ArgumentParser.Parse(Spec(), [arg]));

        Assert.Equal("--output needs a value (path)", error.Message);
    }

    [Fact]
    public void Parse_RepeatableFlag_CollectsValuesInOrder()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["-a", "k1=v1", "--annotation=k2=v2", "-ak3=v3"]);

        Assert.Equal(["k1=v1", "k2=v2", "k3=v3"], parsed.Values("annotation"));
        Assert.Equal("k3=v3", parsed.Value("annotation"));
    }

    [Fact]
    public void Parse_NonRepeatableValueFlagTwice_IsRefused()
    {
        var error = Assert.Throws<UsageException>(() =>
            ArgumentParser.Parse(Spec(), ["--output", "a", "-o", "b"]));

        Assert.Equal("--output was given more than once", error.Message);
    }

    [Fact]
    public void Parse_SwitchTwice_IsAllowed()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["-d", "--debug"]);

        Assert.True(parsed.Flag("debug"));
    }

    [Fact]
    public void Parse_SwitchSetToFalse_ReadsFalse()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["--plain-http=false"]);

        Assert.True(parsed.Has("plain-http"));
        Assert.False(parsed.Flag("plain-http"));
        Assert.False(parsed.OptionalFlag("plain-http"));
        Assert.Null(parsed.OptionalFlag("debug"));
    }

    [Fact]
    public void Parse_AbsentFlag_HasNoValue()
    {
        var parsed = ArgumentParser.Parse(Spec(), []);

        Assert.False(parsed.Has("output"));
        Assert.Null(parsed.Value("output"));
        Assert.Empty(parsed.Values("annotation"));
    }

    [Theory]
    [InlineData(1, 1, 0, "'coffer demo' takes 1 argument, got 0")]
    [InlineData(1, 1, 2, "'coffer demo' takes 1 argument, got 2")]
    [InlineData(2, 2, 1, "'coffer demo' takes 2 arguments, got 1")]
    [InlineData(0, 0, 1, "'coffer demo' takes 0 arguments, got 1")]
    [InlineData(1, 3, 0, "'coffer demo' takes 1 to 3 arguments, got 0")]
    [InlineData(1, 3, 4, "'coffer demo' takes 1 to 3 arguments, got 4")]
    [InlineData(2, int.MaxValue, 1, "'coffer demo' takes at least 2 arguments, got 1")]
    [InlineData(1, int.MaxValue, 0, "'coffer demo' takes at least 1 argument, got 0")]
    public void Parse_WrongArgumentCount_SaysWhatIsExpected(int min, int max, int given, string message)
    {
        var args = Enumerable.Range(0, given).Select(i => $"arg{i}").ToList();

        var error = Assert.Throws<UsageException>(() => ArgumentParser.Parse(Spec(min, max), args));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(1, 3, 3)]
    [InlineData(0, int.MaxValue, 0)]
    [InlineData(2, int.MaxValue, 9)]
    public void Parse_ArgumentCountInRange_Succeeds(int min, int max, int given)
    {
        var args = Enumerable.Range(0, given).Select(i => $"arg{i}").ToList();

        var parsed = ArgumentParser.Parse(Spec(min, max), args);

        Assert.Equal(given, parsed.Arguments.Count);
    }

    [Theory]
    [InlineData("5", 5)]
    [InlineData("1", 1)]
    [InlineData("10", 10)]
    public void Int_InRange_IsParsed(string text, int expected)
    {
        var parsed = ArgumentParser.Parse(Spec(), ["--output", text]);

        Assert.Equal(expected, parsed.Int("output", 3, 1, 10));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("11")]
    [InlineData("five")]
    public void Int_OutOfRangeOrNotANumber_NamesTheBounds(string text)
    {
        var parsed = ArgumentParser.Parse(Spec(), ["--output", text]);

        var error = Assert.Throws<UsageException>(() => parsed.Int("output", 3, 1, 10));

        Assert.Equal($"--output must be a whole number from 1 to 10, not '{text}'", error.Message);
    }

    [Fact]
    public void Int_Absent_IsTheFallback()
    {
        Assert.Equal(3, ArgumentParser.Parse(Spec(), []).Int("output", 3, 1, 10));
    }

    [Fact]
    public void Exclusive_BothGiven_IsRefused()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["-d", "-k"]);

        var error = Assert.Throws<UsageException>(() => parsed.Exclusive("debug", "keep"));

        Assert.Equal("--debug and --keep cannot be used at the same time", error.Message);
    }

    [Fact]
    public void Exclusive_OneGiven_IsFine()
    {
        var parsed = ArgumentParser.Parse(Spec(), ["-d"]);

        parsed.Exclusive("debug", "keep");
    }
}
