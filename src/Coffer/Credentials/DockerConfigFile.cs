using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coffer.Credentials;

/// <summary>
/// A docker <c>config.json</c> file: its <c>auths</c> entries, <c>credHelpers</c> and
/// <c>credsStore</c>. Every other field is kept as it was when the file is written back.
/// </summary>
/// <remarks>
/// <para>
/// An <c>auths</c> entry holds <c>auth</c> (base64 of <c>user:password</c>), or
/// <c>identitytoken</c>, or the old <c>username</c>/<c>password</c> fields. Entries are checked
/// only when their registry is looked up, so one broken entry does not block the others.
/// </para>
/// <para>
/// Messages about a broken file or entry name the file and the registry key, never the content,
/// because the content may be a secret.
/// </para>
/// </remarks>
public sealed class DockerConfigFile
{
    private const string AuthsField = "auths";
    private const string CredHelpersField = "credHelpers";
    private const string CredsStoreField = "credsStore";
    private const string AuthField = "auth";
    private const string IdentityTokenField = "identitytoken";
    private const string UsernameField = "username";
    private const string PasswordField = "password";
    private const string RegistryTokenField = "registrytoken";

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private static readonly string[] OwnedEntryFields =
    [
        AuthField,
        IdentityTokenField,
        UsernameField,
        PasswordField,
        RegistryTokenField,
    ];

    private readonly JsonObject _root;

    private DockerConfigFile(string path, JsonObject root)
    {
        Path = path;
        _root = root;
    }

    /// <summary>The absolute path of the file.</summary>
    public string Path { get; }

    /// <summary>The <c>credsStore</c> helper name, or null when none is set.</summary>
    public string? CredentialsStore =>
        _root[CredsStoreField] is JsonValue value && value.TryGetValue(out string? name)
            && !string.IsNullOrWhiteSpace(name)
            ? name
            : null;

    /// <summary>The <c>credHelpers</c> map from registry key to helper name.</summary>
    public IReadOnlyDictionary<string, string> CredentialHelpers
    {
        get
        {
            var helpers = new Dictionary<string, string>(StringComparer.Ordinal);
            if (_root[CredHelpersField] is JsonObject map)
            {
                foreach (KeyValuePair<string, JsonNode?> pair in map)
                {
                    if (pair.Value is JsonValue value && value.TryGetValue(out string? name)
                        && !string.IsNullOrWhiteSpace(name))
                    {
                        helpers[pair.Key] = name;
                    }
                }
            }

            return helpers;
        }
    }

    /// <summary>The keys of every <c>auths</c> entry, in file order.</summary>
    public IReadOnlyList<string> AuthKeys =>
        _root[AuthsField] is JsonObject auths ? [.. auths.Select(pair => pair.Key)] : [];

    /// <summary>Loads a config file. A missing file reads as an empty one.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The loaded file.</returns>
    /// <exception cref="CredentialStoreException">
    /// The file cannot be read or is not a valid config.
    /// </exception>
    public static async Task<DockerConfigFile> LoadAsync(
        string path,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = System.IO.Path.GetFullPath(path);

        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(fullPath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new DockerConfigFile(fullPath, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException(
                $"Cannot read the docker config file {fullPath}: {e.Message} Check its "
                + "permissions, or use --registry-config <other file>.",
                e);
        }

        return Parse(fullPath, bytes);
    }

    /// <summary>Reads a config file from bytes already in memory.</summary>
    /// <param name="path">
    /// The path the bytes came from, used in messages and by <see cref="SaveAsync"/>.
    /// </param>
    /// <param name="content">The file content.</param>
    /// <returns>The parsed file.</returns>
    /// <exception cref="CredentialStoreException">The content is not a valid config.</exception>
    public static DockerConfigFile Parse(string path, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = System.IO.Path.GetFullPath(path);

        // The docker CLI treats an empty file as an empty config; so do we.
        if (content.Trim(" \t\r\n"u8).IsEmpty)
        {
            return new DockerConfigFile(fullPath, []);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(content);

            // Walk the whole tree now, so a duplicate key or a string that is not valid UTF-16
            // (an escaped lone surrogate) fails here and not at a later lookup.
            Walk(root);
        }
        catch (JsonException e)
        {
            // JsonException's message quotes the offending text, which may be a secret, so
            // only its position is reported and the exception is not attached.
            string where = e.LineNumber is long line
                ? $" (line {line + 1}, byte {(e.BytePositionInLine ?? 0) + 1})"
                : "";
            throw new CredentialStoreException(
                $"The docker config file {fullPath} is not valid JSON{where}. Fix or remove the "
                + "file, or use --registry-config <other file>.");
        }
        catch (InvalidOperationException)
        {
            throw new CredentialStoreException(
                $"The docker config file {fullPath} holds a string that is not valid Unicode. Fix or "
                + "remove the file, or use --registry-config <other file>.");
        }
        catch (ArgumentException)
        {
            throw new CredentialStoreException(
                $"The docker config file {fullPath} repeats a key. Fix or remove the file, or use "
                + "--registry-config <other file>.");
        }

        if (root is not JsonObject config)
        {
            throw new CredentialStoreException(
                $"The docker config file {fullPath} is not a JSON object. Fix or remove the file, "
                + "or use --registry-config <other file>.");
        }

        var file = new DockerConfigFile(fullPath, config);
        file.CheckShape();
        return file;
    }

    // Materialises every object and string of a parsed tree; JsonNode does both lazily.
    private static void Walk(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var pair in obj)
                {
                    Walk(pair.Value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Walk(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
        }
    }

    /// <summary>
    /// Looks up the credential for a registry in <c>auths</c>: the exact key first, then any key
    /// with the same host (so <c>https://index.docker.io/v1/</c> matches <c>docker.io</c>).
    /// </summary>
    /// <param name="registry">The registry host.</param>
    /// <returns>The credential, or null when there is no entry or the entry holds no secret.</returns>
    /// <exception cref="CredentialStoreException">The entry is malformed.</exception>
    public RegistryCredential? GetCredential(string registry)
    {
        string? key = FindAuthKey(registry);
        if (key is null)
        {
            return null;
        }

        return ReadEntry(key, ((JsonObject)_root[AuthsField]!)[key]);
    }

    /// <summary>The <c>auths</c> key that <see cref="GetCredential"/> would read, or null.</summary>
    /// <param name="registry">The registry host.</param>
    public string? FindAuthKey(string registry) => FindKey(AuthKeys, registry);

    /// <summary>
    /// The credential helper for a registry: its <c>credHelpers</c> entry first, then
    /// <c>credsStore</c>.
    /// </summary>
    /// <param name="registry">The registry host.</param>
    /// <returns>The helper setting, or null when the file itself holds the credentials.</returns>
    public CredentialHelperSetting? FindCredentialHelper(string registry)
    {
        IReadOnlyDictionary<string, string> helpers = CredentialHelpers;
        string? key = FindKey([.. helpers.Keys], registry);
        if (key is not null)
        {
            return new CredentialHelperSetting(helpers[key], $"{CredHelpersField}[\"{key}\"]");
        }

        string? store = CredentialsStore;
        return store is null ? null : new CredentialHelperSetting(store, CredsStoreField);
    }

    /// <summary>
    /// Puts a credential into <c>auths</c> under the registry's storage key, replacing earlier
    /// entries for the same host. Fields of the entry that Coffer does not know are kept.
    /// Call <see cref="SaveAsync"/> to write the change.
    /// </summary>
    /// <param name="registry">The registry host.</param>
    /// <param name="credential">The credential; must hold a secret.</param>
    /// <exception cref="ArgumentException">The credential is anonymous.</exception>
    /// <exception cref="CredentialStoreException">The username contains a colon.</exception>
    public void SetCredential(string registry, RegistryCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        if (credential.IsAnonymous)
        {
            throw new ArgumentException(
                "An anonymous credential cannot be stored.",
                nameof(credential));
        }

        // "user:pass" is split at the first colon when read back, so a colon in the username
        // would silently change both halves. The username is not echoed: it may be a pasted secret.
        if (credential.Username?.Contains(':', StringComparison.Ordinal) == true)
        {
            throw new CredentialStoreException(
                $"Cannot store the credential for {registry} in {Path}: the username contains ':', "
                + "which the docker config format cannot hold. Use a username without ':'.");
        }

        string key = RegistryKey.ToStorageKey(registry);
        JsonObject auths = GetOrCreateAuths();

        JsonObject entry = auths[key] as JsonObject ?? [];
        auths[key] = entry;

        // Older entries for the same host (for example "https://ghcr.io") would keep an outdated
        // secret on disk; fold their extra fields into the new entry and drop them.
        foreach (string alias in MatchingKeys(auths, registry).Where(k => k != key).ToList())
        {
            if (auths[alias] is JsonObject old)
            {
                foreach (KeyValuePair<string, JsonNode?> field in old)
                {
                    if (!entry.ContainsKey(field.Key))
                    {
                        entry[field.Key] = field.Value?.DeepClone();
                    }
                }
            }

            auths.Remove(alias);
        }

        // A stale registry token would outlive the new login, so it goes with the old secret.
        foreach (string field in OwnedEntryFields)
        {
            entry.Remove(field);
        }

        if (credential.Username is not null || credential.Password is not null)
        {
            string pair = $"{credential.Username}:{credential.Password}";
            entry[AuthField] = Convert.ToBase64String(Encoding.UTF8.GetBytes(pair));
        }

        if (credential.IdentityToken is not null)
        {
            entry[IdentityTokenField] = credential.IdentityToken;
        }
    }

    /// <summary>
    /// Removes every <c>auths</c> entry for the registry's host. Call <see cref="SaveAsync"/> to
    /// write the change.
    /// </summary>
    /// <param name="registry">The registry host.</param>
    /// <returns>True when an entry was removed.</returns>
    public bool RemoveCredential(string registry)
    {
        if (_root[AuthsField] is not JsonObject auths)
        {
            return false;
        }

        List<string> keys = MatchingKeys(auths, registry).ToList();
        foreach (string key in keys)
        {
            auths.Remove(key);
        }

        return keys.Count > 0;
    }

    /// <summary>
    /// Writes the file atomically: a temp file created with mode 0600 in the same directory,
    /// then a rename over the old file. A missing directory is created with mode 0700.
    /// </summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="CredentialStoreException">The file cannot be written.</exception>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        byte[] content = Serialize();
        try
        {
            await AtomicFile.WriteAsync(Path, content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException(
                $"Cannot write the docker config file {Path}: {e.Message} Check the permissions "
                + "of its directory, or use --registry-config <other file>.",
                e);
        }
        finally
        {
            // The serialised file holds every plain-text secret in it.
            Array.Clear(content);
        }
    }

    private static string? FindKey(IReadOnlyList<string> keys, string registry)
    {
        // Exact spellings first, so an entry written by the docker CLI or by us wins over a
        // look-alike left by another tool.
        if (keys.Contains(registry, StringComparer.Ordinal))
        {
            return registry;
        }

        string storageKey = RegistryKey.ToStorageKey(registry);
        if (keys.Contains(storageKey, StringComparer.Ordinal))
        {
            return storageKey;
        }

        return keys.FirstOrDefault(key => RegistryKey.HostMatches(key, registry));
    }

    private static IEnumerable<string> MatchingKeys(JsonObject map, string registry)
    {
        string storageKey = RegistryKey.ToStorageKey(registry);
        return map
            .Select(pair => pair.Key)
            .Where(key => key == registry
                || key == storageKey
                || RegistryKey.HostMatches(key, registry));
    }

    private void CheckShape()
    {
        if (_root[AuthsField] is not (null or JsonObject))
        {
            throw Malformed($"its \"{AuthsField}\" field is not a JSON object");
        }

        if (_root[CredsStoreField] is not null && !IsString(_root[CredsStoreField]))
        {
            throw Malformed($"its \"{CredsStoreField}\" field is not a string");
        }

        if (_root[CredHelpersField] is JsonObject helpers)
        {
            foreach (KeyValuePair<string, JsonNode?> pair in helpers)
            {
                if (pair.Value is not null && !IsString(pair.Value))
                {
                    throw Malformed(
                        $"its \"{CredHelpersField}\" entry for \"{pair.Key}\" is not a string");
                }
            }
        }
        else if (_root[CredHelpersField] is not null)
        {
            throw Malformed($"its \"{CredHelpersField}\" field is not a JSON object");
        }
    }

    private RegistryCredential? ReadEntry(string key, JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonObject entry)
        {
            throw MalformedEntry(key, "it is not a JSON object");
        }

        string? auth = ReadString(entry, key, AuthField);
        string? identityToken = ReadString(entry, key, IdentityTokenField);
        string? username;
        string? password;

        if (!string.IsNullOrEmpty(auth))
        {
            (username, password) = DecodeAuth(key, auth);
        }
        else
        {
            // Files written by very old docker versions keep the two halves in separate fields.
            username = ReadString(entry, key, UsernameField);
            password = ReadString(entry, key, PasswordField);
        }

        var credential = new RegistryCredential(username, password, identityToken);
        return credential.IsAnonymous ? null : credential;
    }

    private (string User, string Password) DecodeAuth(string key, string auth)
    {
        // Some tools drop the '=' padding; accept that rather than fail on a usable value.
        string padded = auth.Trim();
        if (padded.Length % 4 != 0)
        {
            padded = padded.PadRight(padded.Length + (4 - (padded.Length % 4)), '=');
        }

        byte[] buffer = new byte[padded.Length];
        if (!Convert.TryFromBase64String(padded, buffer, out int written))
        {
            throw MalformedEntry(key, $"its \"{AuthField}\" value is not valid base64");
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(buffer, 0, written);
        }
        catch (DecoderFallbackException)
        {
            throw MalformedEntry(key, $"its \"{AuthField}\" value does not decode to UTF-8 text");
        }
        finally
        {
            Array.Clear(buffer);
        }

        // ORAS quoted the decoded text here; it is the password, so it is never shown.
        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            throw MalformedEntry(
                key,
                $"its \"{AuthField}\" value does not decode to user:password");
        }

        return (decoded[..colon], decoded[(colon + 1)..]);
    }

    private string? ReadString(JsonObject entry, string key, string field)
    {
        JsonNode? node = entry[field];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue(out string? text))
        {
            return text;
        }

        throw MalformedEntry(key, $"its \"{field}\" field is not a string");
    }

    private static bool IsString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String;

    private JsonObject GetOrCreateAuths()
    {
        if (_root[AuthsField] is JsonObject auths)
        {
            return auths;
        }

        auths = [];
        _root[AuthsField] = auths;
        return auths;
    }

    private byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            IndentCharacter = '\t',
            IndentSize = 1,

            // The file is never served as HTML; relaxed escaping keeps base64 '+' and '/'
            // readable instead of writing \u002B.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            _root.WriteTo(writer);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private CredentialStoreException Malformed(string problem) =>
        new($"The docker config file {Path} is malformed: {problem}. Fix the file, or use "
            + "--registry-config <other file>.");

    private CredentialStoreException MalformedEntry(string key, string problem) =>
        new($"The credential for \"{key}\" in {Path} is malformed: {problem}. Remove that "
            + "entry from \"auths\" (or log in again to replace it), or use "
            + "--registry-config <other file>.");
}
