using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Coffer.Errors;
using Coffer.Http;

namespace Coffer.Registry;

/// <summary>
/// Collects a list the registry serves in pages (tags, catalog), following safe next links and
/// stopping with an error after <see cref="RegistryLimits.MaxListPages"/> pages.
/// </summary>
internal static class PagedList
{
    /// <summary>The largest page body read.</summary>
    public const int MaxPageBytes = 8 * 1024 * 1024;

    public static async Task<List<string>> CollectAsync<TPage>(
        RegistryTransport transport, Uri first, JsonTypeInfo<TPage> type, Func<TPage, IEnumerable<string>?> items,
        string operation, CancellationToken cancellationToken)
    {
        var collected = new List<string>();
        var uri = first;
        for (var page = 1; ; page++)
        {
            using var response = await transport.SendAsync(
                new RegistryRequest
                {
                    Method = HttpMethod.Get,
                    Uri = uri,
                    Operation = operation,
                    Accept = "application/json",
                    Idempotent = true,
                    BufferLimit = MaxPageBytes,
                },
                cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw await transport.ErrorAsync(response, operation, null, cancellationToken).ConfigureAwait(false);
            }

            var content = await BoundedBody.ReadAsync(
                response,
                MaxPageBytes,
                () => new CofferException(
                    $"{operation}: page {page} is larger than {MaxPageBytes / 1024 / 1024} MiB; refusing to read it"),
                cancellationToken).ConfigureAwait(false);
            TPage? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(content, type);
            }
            catch (JsonException e)
            {
                throw new CofferException($"{operation}: page {page} is not valid JSON: {e.Message}");
            }

            if (parsed is not null)
            {
                collected.AddRange(items(parsed) ?? []);
            }

            var next = NextLink.Find(response, transport.BaseUri, operation);
            if (next is null)
            {
                return collected;
            }

            if (page >= RegistryLimits.MaxListPages)
            {
                throw new CofferException(
                    $"{operation}: the registry still offered a next page after {RegistryLimits.MaxListPages} " +
                    $"pages ({collected.Count} entries); stopping",
                    "the registry may be sending an endless chain of pages; start later with --last <name>");
            }

            uri = next;
        }
    }
}
