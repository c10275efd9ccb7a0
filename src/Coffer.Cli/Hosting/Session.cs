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

    public void Warn(string message) => _context.Stderr.WriteLine(Redactor.Scrub($"Warning: {message}"));

    /// <summary>
    /// The credential given on the command line for this command only, or null. It is kept in
    /// memory and written nowhere.
    /// </summary>
    public RegistryCredential? CommandLineCredential()
    {
        var p = _parsed;
        p.Exclusive("password", "password-stdin");
        p.Exclusive("identity-token", "identity-token-stdin");
        p.Exclusive("password-stdin", "identity-token-stdin");
        if ((p.Has("identity-token") || p.Has("identity-token-stdin"))
            && (p.Has("username") || p.Has("password") || p.Has("password-stdin")))
        {
            throw new UsageException("--identity-token cannot be combined with --username or --password");
        }

        var username = p.Value("username");
        string? password = null;
        string? identityToken = null;
        if (p.Has("password"))
        {
            Warn("a secret on the command line shows in process lists and shell history; use --password-stdin");
            password = p.Value("password");
        }
        else if (p.Flag("password-stdin"))
        {
            password = ReadStdinSecret("--password-stdin");
        }

        if (p.Has("identity-token"))
        {
            Warn("a secret on the command line shows in process lists and shell history; " +
                "use --identity-token-stdin");
            identityToken = p.Value("identity-token");
        }
        else if (p.Flag("identity-token-stdin"))
        {
            identityToken = ReadStdinSecret("--identity-token-stdin");
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
                password = _context.ReadSecret("Password: ");
            }

            if (password is null && _parsed.Command.Name != "login")
            {
                throw new UsageException(
                    $"--username {username} was given without a secret; add --password-stdin and pipe it in");
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

    /// <summary>The credential store named by <c>--registry-config</c> or the defaults.</summary>
    public ICredentialStore Store() => CredentialStores.Open(_parsed.Value("registry-config"), _context);

    /// <summary>Registry options from the transport flags and a credential source.</summary>
    public RegistryClientOptions ClientOptions(CredentialSource credentials) => new()
    {
        PlainHttp = _parsed.OptionalFlag("plain-http"),
        Insecure = InsecureWarned(),
        CaFile = _parsed.Value("ca-file"),
        CertFile = _parsed.Value("cert-file"),
        KeyFile = _parsed.Value("key-file"),
        Credentials = credentials,
        Log = Log,
        Warn = Warn,
    };

    /// <summary>Options for a command that reads or writes one reference.</summary>
    public RegistryClientOptions ClientOptions()
    {
        var credential = CommandLineCredential();
        var source = credential is not null ? CredentialSource.FromCommandLine(credential)
            : CredentialSource.FromStore(Store());
        return ClientOptions(source);
    }

    private const string TokenPlaceholder = "coffer";

    private bool InsecureWarned()
    {
        if (!_parsed.Flag("insecure"))
        {
            return false;
        }

        Warn("--insecure: TLS certificates are not verified; anyone on the path can read and change traffic");
        return true;
    }

    private string ReadStdinSecret(string flag)
    {
        if (_context.StdinIsClosed)
        {
            throw new UsageException($"{flag} cannot read: stdin is closed; pipe the secret in, e.g. " +
                "echo \"$TOKEN\" | coffer ...");
        }

        var text = _context.Stdin.ReadToEnd();

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
