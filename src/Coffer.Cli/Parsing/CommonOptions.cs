using Coffer.Cli.Output;
using Coffer.Errors;

namespace Coffer.Cli.Parsing;

/// <summary>Flag groups shared by many commands, named as ORAS names them.</summary>
internal static class CommonOptions
{
    public static readonly OptionSpec Debug =
        new("debug", 'd', null, "log every request and response to stderr, secrets masked");
    public static readonly OptionSpec Format =
        new("format", null, "text|json", "text, or json: one JSON document on stdout (default text)");
    public static readonly OptionSpec Progress = new(
        "progress",
        null,
        "auto|tty|plain|json|none",
        "status while transferring: live on stderr, lines on stdout, JSON lines on stderr (default auto)");

    public static readonly OptionSpec Help = new("help", 'h', null, "show this help");

    /// <summary>Credentials and transport for one registry.</summary>
    public static readonly IReadOnlyList<OptionSpec> Remote =
    [
        new("username", 'u', "name", "registry username"),
        new(
            "password",
            'p',
            "secret",
            "registry password or token (visible in process lists: prefer --password-stdin)"),
        new("password-stdin", null, null, "read the password or token from stdin"),
        new("identity-token", null, "token", "OAuth2 identity (refresh) token (prefer --identity-token-stdin)"),
        new("identity-token-stdin", null, null, "read the identity token from stdin"),
        new(
            "registry-config",
            null,
            "path",
            "credentials file (default $DOCKER_CONFIG/config.json or ~/.docker/config.json)"),
        new("plain-http", null, null, "use plain HTTP instead of HTTPS"),
        new("insecure", null, null, "skip TLS certificate verification (dangerous)"),
        new("ca-file", null, "path", "PEM file of extra CA certificates to trust"),
        new("cert-file", null, "path", "PEM client certificate for mutual TLS (sent to the registry only)"),
        new("key-file", null, "path", "PEM private key of --cert-file"),
    ];

    /// <summary>The switch that makes the positional target an OCI image layout.</summary>
    public static readonly OptionSpec OciLayout = new(
        "oci-layout", null, null, "the target is an OCI image layout: <dir-or-tar>[:<tag>|@<digest>]");

    /// <summary>
    /// The flags that only mean something for a registry, as <see cref="Remote"/> names them (plus
    /// <c>--distribution-spec</c>); given with an OCI layout they are refused rather than ignored.
    /// </summary>
    public static readonly IReadOnlyList<string> RegistryOnly =
        [.. Remote.Select(o => o.Long), "distribution-spec"];

    /// <summary>
    /// The remote flags of one side of a copy: each long name with <paramref name="prefix"/> in front
    /// (<c>--from-username</c>), also where the help names another flag, no short names, and the side
    /// named in the help.
    /// </summary>
    public static IReadOnlyList<OptionSpec> RemoteFor(string prefix, string side) =>
    [
        .. Remote.Select(o => new OptionSpec(prefix + o.Long, null, o.ValueName,
            $"{side}: {o.Help.Replace("--", "--" + prefix, StringComparison.Ordinal)}")),
    ];

    /// <summary>
    /// The <c>--progress</c> mode. <c>auto</c> (the default) is the live display when stderr is a terminal
    /// and plain lines otherwise. With <c>--format json</c> stdout holds only the document, so status is
    /// off unless <c>--progress json</c> is given, which writes to stderr.
    /// </summary>
    public static ProgressMode ResolveProgress(ParsedCommand parsed, bool jsonFormat, bool stderrIsTerminal)
    {
        var mode = parsed.Value(Progress.Long) switch
        {
            null or "auto" => stderrIsTerminal ? ProgressMode.Tty : ProgressMode.Plain,
            "tty" => ProgressMode.Tty,
            "plain" => ProgressMode.Plain,
            "json" => ProgressMode.Json,
            "none" => ProgressMode.None,
            var other => throw new UsageException($"--progress must be auto, tty, plain, json or none, not '{other}'"),
        };
        return jsonFormat && mode != ProgressMode.Json ? ProgressMode.None : mode;
    }

    public static IReadOnlyList<OptionSpec> With(params IEnumerable<OptionSpec>[] groups) =>
        [.. groups.SelectMany(g => g), Debug, Help];
}
