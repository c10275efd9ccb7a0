namespace Coffer.Registry;

public sealed partial class RegistryClient
{
    /// <summary>
    /// Lists the registry's repositories: <c>GET /v2/_catalog</c>, following next-page links on the
    /// registry's own origin for at most <see cref="RegistryLimits.MaxListPages"/> pages.
    /// </summary>
    /// <param name="last">List only repositories after this one, or null for all.</param>
    /// <param name="operation">What this listing is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The repository names in the order the registry gave them.</returns>
    /// <exception cref="Errors.CofferException">A page failed, pointed elsewhere, or pages did not end.</exception>
    public async Task<IReadOnlyList<string>> CatalogAsync(
        string? last, string operation, CancellationToken cancellationToken = default)
    {
        var query = string.IsNullOrEmpty(last) ? "" : "?last=" + Uri.EscapeDataString(last);
        return await PagedList.CollectAsync(
            _transport, new Uri(BaseUri, "/v2/_catalog" + query), ListJsonContext.Default.CatalogPage,
            page => page.Repositories, operation, cancellationToken).ConfigureAwait(false);
    }
}
