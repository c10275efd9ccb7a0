namespace Coffer.Registry;

public sealed partial class Repository
{
    /// <summary>
    /// Lists the repository's tags: <c>GET /v2/&lt;name&gt;/tags/list</c>, following next-page links
    /// on the registry's own origin for at most <see cref="RegistryLimits.MaxListPages"/> pages.
    /// </summary>
    /// <param name="last">List only tags after this one, or null for all.</param>
    /// <param name="operation">What this listing is part of, for messages.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The tags in the order the registry gave them.</returns>
    /// <exception cref="Errors.CofferException">A page failed, pointed elsewhere, or pages did not end.</exception>
    public async Task<IReadOnlyList<string>> TagsAsync(
        string? last, string operation, CancellationToken cancellationToken = default)
    {
        var query = string.IsNullOrEmpty(last) ? "" : "?last=" + Uri.EscapeDataString(last);
        return await PagedList.CollectAsync(
            _transport, Url("tags/list" + query), ListJsonContext.Default.TagList, page => page.Tags, operation,
            cancellationToken).ConfigureAwait(false);
    }
}
