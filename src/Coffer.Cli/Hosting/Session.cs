using Coffer.Cli.Output;
using Coffer.Cli.Parsing;
using Coffer.Credentials;
using Coffer.Diagnostics;
using Coffer.Errors;
using Coffer.Registry;
using Coffer.Registry.Auth;

namespace Coffer.Cli.Hosting;

/// <summary>
/// What one command run shares: the redactor every message passes through, the debug log,
/// warnings, and the registry options built from the remote flags.
/// </summary>
internal sealed class Session
{
    private readonly CliContext _context;
    private readonly ParsedCommand _parsed;

    public Session(CliContext context, ParsedCommand parsed)
    {
        _context = context;
        _parsed = parsed;
        Redactor = context.Redactor;
        Log = new DebugLog(Redactor, parsed.Flag("debug") ? line => context.Stderr.WriteLine(line) : null);
        Json = Output.OutputFormat.IsJson(parsed);
    }

    public Redactor Redactor { get; }

    public DebugLog Log { get; }

    public bool Json { get; }

    public CliContext Context => _context;

    public void Warn(string message) => _context.Stderr.WriteLine(ErrorReport.Line(Redactor, $"Warning: {message}"));

    /// <summary>
    /// The credential given on the command line for this command only, or null. It is kept in
    /// memory and written nowhere. <paramref name="prefix"/> selects one side of a copy
    /// (<c>from-</c>, <c>to-</c>): its flags are <c>--from-username</c> and so on.
    /// </summary>
    public RegistryCredential? CommandLineCredential(string prefix = "")
    {
        var p = _parsed;
        string Name(string flag) => prefix + flag;
        p.Exclusive(Name("password"), Name("password-stdin"));
        p.Exclusive(Name("identity-token"), Name("identity-token-stdin"));
        p.Exclusive(Name("password-stdin"), Name("identity-token-stdin"));
        if ((p.Has(Name("identity-token")) || p.Has(Name("identity-token-stdin")))
            && (p.Has(Name("username")) || p.Has(Name("password")) || p.Has(Name("password-stdin"))))
        {
            throw new UsageException(
                $"--{Name("identity-token")} cannot be combined with --{Name("username")} or --{Name("password")}");
        }

        var username = p.Value(Name("username"));
        string? password = null;
        string? identityToken = null;
        if (p.Has(Name("password")))
        {
            Warn("a secret on the command line shows in process lists and shell history; " +
                $"use --{Name("password-stdin")}");
            password = p.Value(Name("password"));
        }
        else if (p.Flag(Name("password-stdin")))
        {
            password = ReadStdinSecret($"--{Name("password-stdin")}");
        }

        if (p.Has(Name("identity-token")))
        {
            Warn("a secret on the command line shows in process lists and shell history; " +
                $"use --{Name("identity-token-stdin")}");
            identityToken = p.Value(Name("identity-token"));
        }
        else if (p.Flag(Name("identity-token-stdin")))
        {
            identityToken = ReadStdinSecret($"--{Name("identity-token-stdin")}");
        }

        // As in ORAS, a secret without a username is an identity token.
        if (password is not null && username is null)
        {
            identityToken = password;
            password = null;
        }

        if (username is not null && password is null && identityToken is null)
        {
            if (_context.StdinIsTerminal && _parsed.Command.Name != "login")
            {
                password = _context.ReadSecret(
                    prefix.Length == 0 ? "Password: " : $"Password ({prefix.TrimEnd('-')}): ");
            }

            if (password is null && _parsed.Command.Name != "login")
            {
                throw new UsageException(
                    $"--{Name("username")} {username} was given without a secret; add --{Name("password-stdin")} " +
                    "and pipe it in");
            }
        }

        if (username is not null && username.Contains(':', StringComparison.Ordinal))
        {
            throw new UsageException("a username cannot contain ':'");
        }

        if (password is null && identityToken is null && username is null)
        {
            return null;
        }

        Redactor.AddBasicSecret(username, password);
        Redactor.AddSecret(identityToken);
        Redactor.AddBasicSecret(TokenPlaceholder, identityToken);
        return new RegistryCredential(username, password, identityToken);
    }

    /// <summary>
    /// The credential store named by <c>--registry-config</c> (with the side's prefix) or the defaults.
    /// </summary>
    public ICredentialStore Store(string prefix = "") =>
        CredentialStores.Open(_parsed.Value(prefix + "registry-config"), _context);

    /// <summary>
    /// Registry options from the transport flags (with the side's prefix) and a credential source.
    /// </summary>
    public RegistryClientOptions ClientOptions(CredentialSource credentials, string prefix = "") => new()
    {
        PlainHttp = _parsed.OptionalFlag(prefix + "plain-http"),
        Insecure = InsecureWarned(prefix),
        CaFile = _parsed.Value(prefix + "ca-file"),
        CertFile = _parsed.Value(prefix + "cert-file"),
        KeyFile = _parsed.Value(prefix + "key-file"),
        Credentials = credentials,
        CredentialFlagPrefix = prefix,
        Log = Log,
        Warn = Warn,
    };

    /// <summary>Options for a command that reads or writes one reference (or one side of a copy).</summary>
    /// <exception cref="UsageException">The <c>--registry-config</c> file given does not exist.</exception>
    public RegistryClientOptions ClientOptions(string prefix = "")
    {
        RequireConfigFile(prefix);
        var credential = CommandLineCredential(prefix);
        var source = credential is not null ? CredentialSource.FromCommandLine(credential)
            : CredentialSource.FromStore(Store(prefix));
        return ClientOptions(source, prefix);
    }

    private const string TokenPlaceholder = "coffer";

    // A config file named on the command line that is not there is most likely a typo: read as
    // empty, it would send the request without the credential the user meant to give. Only login
    // creates the file it names.
    private void RequireConfigFile(string prefix)
    {
        var flag = prefix + "registry-config";
        if (_parsed.Value(flag) is not { } given)
        {
            return;
        }

        var path = CredentialStores.ConfigPath(given, _context);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new UsageException(
                $"--{flag} {given}: there is no such file ({path}); name an existing docker config file, or " +
                "drop the flag to use the default one");
        }
    }

    private bool InsecureWarned(string prefix)
    {
        if (!_parsed.Flag(prefix + "insecure"))
        {
            return false;
        }

        Warn($"--{prefix}insecure: TLS certificates are not verified; anyone on the path can read and change traffic");
        return true;
    }

    private string ReadStdinSecret(string flag)
    {
        if (_context.StdinIsClosed)
        {
            throw new UsageException($"{flag} cannot read: stdin is closed; pipe the secret in, e.g. " +
                "echo \"$TOKEN\" | coffer ...");
        }

        var text = _context.Stdin().ReadToEnd();

        // One trailing newline (and then one carriage return) is the echo's, not the secret's.
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
        }

        if (text.EndsWith('\r'))
        {
            text = text[..^1];
        }

        if (text.Length == 0)
        {
            throw new UsageException(
                $"{flag} read nothing from stdin; pipe the secret in, e.g. echo \"$TOKEN\" | coffer ...");
        }

        return text;
    }
}
