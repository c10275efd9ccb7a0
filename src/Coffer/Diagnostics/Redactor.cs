using System.Text;

namespace Coffer.Diagnostics;

/// <summary>
/// Removes secrets from text before it reaches a log or a message: URL query values outside an
/// allowlist, URL user info, and any secret value registered with <see cref="AddSecret"/>.
/// </summary>
/// <remarks>
/// An allowlist rather than a blocklist: redirect targets and upload locations carry signed
/// tokens under names nobody can predict (<c>X-Amz-Signature</c>, <c>_state</c>, <c>sig</c>).
/// </remarks>
public sealed class Redactor
{
    /// <summary>The mask written in place of a secret.</summary>
    public const string Mask = "***";

    private static readonly HashSet<string> AllowedQueryKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "scope", "service", "digest", "n", "last", "mount", "from", "artifactType", "account", "grant_type",
    };

    private readonly Lock _gate = new();
    private List<string> _secrets = [];

    /// <summary>Registers a secret and its common encodings so they are masked wherever they appear.</summary>
    public void AddSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 4)
        {
            return;
        }

        lock (_gate)
        {
            // Copy on write: readers take the list without locking.
            var next = new List<string>(_secrets) { secret, Uri.EscapeDataString(secret) };
            next.Sort((a, b) => b.Length.CompareTo(a.Length));
            _secrets = next;
        }
    }

    /// <summary>Registers a username and password, masking their Basic auth encoding too.</summary>
    public void AddBasicSecret(string? username, string? password)
    {
        AddSecret(password);
        if (!string.IsNullOrEmpty(password))
        {
            AddSecret(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        }
    }

    /// <summary>Masks every registered secret in a text.</summary>
    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        foreach (var secret in _secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                text = text.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Renders a URL with user info removed and query values outside the allowlist masked.</summary>
    public string Url(Uri? uri)
    {
        if (uri is null)
        {
            return "";
        }

        if (!uri.IsAbsoluteUri)
        {
            // Render relative locations against a placeholder origin so their query is masked too.
            var rendered = Url(new Uri(new Uri("http://relative.invalid"), uri));
            return rendered["http://relative.invalid".Length..];
        }

        var builder = new StringBuilder();
        builder.Append(uri.Scheme).Append("://").Append(uri.Authority).Append(uri.AbsolutePath);
        var query = uri.Query;
        if (query.Length > 1)
        {
            var separator = '?';
            foreach (var pair in query[1..].Split('&'))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = equals < 0 ? pair : pair[..equals];
                builder.Append(separator).Append(key);
                if (equals >= 0)
                {
                    builder.Append('=').Append(AllowedQueryKeys.Contains(Uri.UnescapeDataString(key))
                        ? pair[(equals + 1)..]
                        : Mask);
                }

                separator = '&';
            }
        }

        return Scrub(builder.ToString());
    }
}
