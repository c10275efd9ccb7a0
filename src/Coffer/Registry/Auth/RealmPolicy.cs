using Coffer.Errors;
using Coffer.Http;

namespace Coffer.Registry.Auth;

/// <summary>
/// Decides whether a bearer realm may receive the user's credential. A malicious registry can
/// point the realm anywhere, so the realm must not downgrade to plain HTTP and must not sit on a
/// loopback, link-local, private or unspecified address unless the registry itself is on that
/// same kind of network.
/// </summary>
public static class RealmPolicy
{
    /// <summary>Parses and checks a realm.</summary>
    /// <exception cref="CofferException">The realm is refused; the message says why.</exception>
    public static Uri Validate(string? realm, Uri registry)
    {
        if (string.IsNullOrEmpty(realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var uri))
        {
            throw new CofferException(
                $"registry {Origin.Of(registry)} sent a Bearer challenge without a valid realm",
                "the registry's token service is misconfigured; report it to its operator");
        }

        if (uri.Scheme is not ("https" or "http"))
        {
            throw Refused(uri, registry, $"its scheme '{uri.Scheme}' is not http or https");
        }

        if (uri.Scheme == "http" && registry.Scheme == "https")
        {
            throw Refused(uri, registry, "it is plain HTTP while the registry uses HTTPS");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            throw Refused(uri, registry, "it carries user information");
        }

        var realmKind = AddressClass.Of(uri.Host);
        if (realmKind != AddressKind.Public
            && !string.Equals(uri.Host, registry.Host, StringComparison.OrdinalIgnoreCase)
            && realmKind != AddressClass.Of(registry.Host))
        {
            throw Refused(uri, registry, $"it is on a {Describe(realmKind)} address and the registry is not");
        }

        return uri;
    }

    private static CofferException Refused(Uri realm, Uri registry, string why) => new(
        $"refusing the token realm {Origin.Of(realm)} offered by {Origin.Of(registry)}: {why}",
        "a registry may not send credentials there; check the registry address, or report the " +
        "registry's auth configuration to its operator");

    private static string Describe(AddressKind kind) => kind switch
    {
        AddressKind.Loopback => "loopback",
        AddressKind.LinkLocal => "link-local",
        AddressKind.Private => "private",
        _ => "unspecified",
    };
}
