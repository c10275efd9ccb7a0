using System.Net;
using Coffer.Content;

namespace Coffer.Registry;

public sealed partial class Repository
{
    /// <summary>
    /// Deletes a manifest by digest: <c>DELETE /v2/&lt;name&gt;/manifests/&lt;digest&gt;</c>. Tags that point
    /// at it go with it. (Distribution 2.8 refuses to delete by tag, so callers resolve tags first.)
    /// </summary>
    /// <returns>True when the registry deleted it, false when it had no such manifest.</returns>
    public Task<bool> DeleteManifestAsync(
        Digest digest, string operation, CancellationToken cancellationToken = default) =>
        DeleteAsync($"manifests/{digest}", operation, cancellationToken);

    /// <summary>Deletes a blob: <c>DELETE /v2/&lt;name&gt;/blobs/&lt;digest&gt;</c>.</summary>
    /// <returns>True when the registry deleted it, false when it had no such blob.</returns>
    public Task<bool> DeleteBlobAsync(
        Digest digest, string operation, CancellationToken cancellationToken = default) =>
        DeleteAsync($"blobs/{digest}", operation, cancellationToken);

    private async Task<bool> DeleteAsync(string path, string operation, CancellationToken cancellationToken)
    {
        using var response = await _transport.SendAsync(
            new RegistryRequest
            {
                Method = HttpMethod.Delete,
                Uri = Url(path),
                Operation = operation,
                Idempotent = true,
            },
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.NoContent)
        {
            return true;
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var error = await _transport.ErrorAsync(response, operation, null, cancellationToken)
                .ConfigureAwait(false);

            // A missing repository or content is "missing"; any other 404 is the registry's own trouble.
            if (error.Errors.Count == 0 || error.HasCode("MANIFEST_UNKNOWN") || error.HasCode("BLOB_UNKNOWN")
                || error.HasCode("NAME_UNKNOWN"))
            {
                return false;
            }

            throw error;
        }

        var hint = response.StatusCode == HttpStatusCode.MethodNotAllowed
            ? "the registry does not allow deletes (distribution needs storage.delete.enabled: true)"
            : null;
        throw await _transport.ErrorAsync(response, operation, hint, cancellationToken).ConfigureAwait(false);
    }
}
