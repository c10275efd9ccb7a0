using System.Diagnostics.CodeAnalysis;
using Coffer.Content;

namespace Coffer.Registry;

/// <summary>
/// A reference to an artifact, <c>registry/repository[:tag][@digest]</c>, as the distribution
/// specification's reference grammar defines it. Unlike Docker, a registry is always required.
/// </summary>
public sealed class Reference
{
    private const int MaxTagLength = 128;
    private const int MaxNameLength = 255;

    private Reference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry as written: a host name or IPv4 address, with a port when given.</summary>
    public string Registry { get; }

    /// <summary>The repository path, lower case.</summary>
    public string Repository { get; }

    /// <summary>The tag, if any.</summary>
    public string? Tag { get; }

    /// <summary>The digest, if any. When both are given, the digest decides what is fetched.</summary>
    public Digest? Digest { get; }

    /// <summary>
    /// The host that serves the registry's API: Docker Hub's names map to its real endpoint.
    /// </summary>
    public string Endpoint => Registry is "docker.io" or "index.docker.io" ? "registry-1.docker.io" : Registry;

    /// <summary>The tag or digest to address the manifest by, digest first.</summary>
    public string? ManifestReference => Digest?.ToString() ?? Tag;

    /// <summary>Parses a reference.</summary>
    /// <exception cref="FormatException">The reference is malformed; the message names the part.</exception>
    public static Reference Parse(string text)
    {
        if (TryParse(text, out var reference, out var error))
        {
            return reference;
        }

        throw new FormatException(error);
    }

    /// <summary>Parses a reference, reporting which part is wrong.</summary>
    public static bool TryParse(
        string? text, [NotNullWhen(true)] out Reference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the reference is empty; write it as registry/repository[:tag][@digest]";
            return false;
        }

        var rest = text;
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Content.Digest.TryParse(rest[(at + 1)..], out var parsed, out var digestError))
            {
                error = $"invalid reference '{text}': {digestError}";
                return false;
            }

            digest = parsed;
            rest = rest[..at];
        }

        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            error = $"invalid reference '{text}': missing registry or repository; " +
                "write it as registry/repository[:tag], for example ghcr.io/owner/repo:latest " +
                "or docker.io/library/name:tag";
            return false;
        }

        var registry = rest[..slash];
        var path = rest[(slash + 1)..];
        if (!IsValidRegistry(registry))
        {
            error = $"invalid reference '{text}': registry '{registry}' is not a host name, " +
                "IPv4 address or host:port";
            return false;
        }

        // As in Docker's grammar, a first component without '.' or ':' is a path, not a host.
        if (!registry.Contains('.', StringComparison.Ordinal) && !registry.Contains(':', StringComparison.Ordinal)
            && registry != "localhost")
        {
            error = $"invalid reference '{text}': '{registry}' is not a registry host (no '.' or ':'); " +
                $"put the registry first, for example ghcr.io/{rest} or docker.io/{rest}";
            return false;
        }

        string? tag = null;
        var colon = path.LastIndexOf(':');
        if (colon >= 0)
        {
            tag = path[(colon + 1)..];
            path = path[..colon];
            if (!IsValidTag(tag))
            {
                error = $"invalid reference '{text}': tag '{tag}' must be 1 to 128 characters of " +
                    "letters, digits, '_', '.' and '-', not starting with '.' or '-'";
                return false;
            }
        }

        if (!IsValidRepository(path, out var repositoryError))
        {
            error = $"invalid reference '{text}': repository '{path}' {repositoryError}";
            return false;
        }

        reference = new Reference(registry, path, tag, digest);
        error = null;
        return true;
    }

    /// <summary>Returns this reference with another tag and no digest.</summary>
    public Reference WithTag(string tag)
    {
        if (!IsValidTag(tag))
        {
            throw new FormatException($"tag '{tag}' is not valid");
        }

        return new Reference(Registry, Repository, tag, null);
    }

    /// <summary>Returns this reference pinned to a digest, keeping no tag.</summary>
    public Reference WithDigest(Digest digest) => new(Registry, Repository, null, digest);

    /// <summary>Checks a tag against <c>[\w][\w.-]{0,127}</c>.</summary>
    public static bool IsValidTag(string? tag)
    {
        if (string.IsNullOrEmpty(tag) || tag.Length > MaxTagLength || !IsWord(tag[0]))
        {
            return false;
        }

        foreach (var c in tag)
        {
            if (!IsWord(c) && c is not ('.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = $"{Registry}/{Repository}";
        if (Tag is not null)
        {
            text += ":" + Tag;
        }

        if (Digest is { } digest)
        {
            text += "@" + digest;
        }

        return text;
    }

    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsValidRegistry(string registry)
    {
        var host = registry;
        var colon = registry.LastIndexOf(':');
        if (colon >= 0)
        {
            var port = registry[(colon + 1)..];
            if (port.Length is 0 or > 5
                || !port.All(char.IsAsciiDigit)
                || int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) > 65535)
            {
                return false;
            }

            host = registry[..colon];
        }

        if (host.Length is 0 or > 253)
        {
            return false;
        }

        // Each label: letters, digits and inner hyphens (RFC 1123); an IPv4 address passes too.
        foreach (var label in host.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidRepository(string path, [NotNullWhen(false)] out string? error)
    {
        if (path.Length == 0)
        {
            error = "is empty";
            return false;
        }

        if (path.Length > MaxNameLength)
        {
            error = "is longer than 255 characters";
            return false;
        }

        foreach (var component in path.Split('/'))
        {
            if (!IsValidComponent(component))
            {
                error = component.Any(char.IsAsciiLetterUpper)
                    ? "must be lower case"
                    : $"has an invalid component '{component}': use lower-case letters and digits, " +
                        "separated by '.', '_', '__' or dashes";
                return false;
            }
        }

        error = null;
        return true;
    }

    // path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [_.] | __ | [-]+
    private static bool IsValidComponent(string component)
    {
        if (component.Length == 0 || !IsLowerAlnum(component[0]) || !IsLowerAlnum(component[^1]))
        {
            return false;
        }

        for (var i = 0; i < component.Length;)
        {
            if (IsLowerAlnum(component[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < component.Length && !IsLowerAlnum(component[i]))
            {
                i++;
            }

            var separator = component[start..i];
            var valid = separator is "." or "_" or "__" || separator.All(c => c == '-');
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerAlnum(char c) => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c);
}
