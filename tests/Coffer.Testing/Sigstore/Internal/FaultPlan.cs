using Microsoft.AspNetCore.Http;

namespace Coffer.Testing.Sigstore.Internal;

/// <summary>Answers the next N requests with a chosen status instead of serving them.</summary>
internal sealed class FaultPlan
{
    private readonly Lock _gate = new();
    private int _remaining;
    private int _status;

    public void FailNext(int count, int status)
    {
        lock (_gate)
        {
            _remaining = count;
            _status = status;
        }
    }

    /// <summary>Writes the fault and returns true when this request should fail.</summary>
    public async Task<bool> TryFailAsync(HttpContext context)
    {
        int status;
        lock (_gate)
        {
            if (_remaining <= 0)
            {
                return false;
            }

            _remaining--;
            status = _status;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($"{{\"code\":{status},\"message\":\"injected fault\"}}");
        return true;
    }
}
