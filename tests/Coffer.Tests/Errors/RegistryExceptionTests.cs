using System.Net;
using Coffer.Errors;

namespace Coffer.Tests.Errors;

public class RegistryExceptionTests
{
    [Fact]
    public void Message_WithCodes_PutsEverythingOnOneLine()
    {
        var error = new RegistryException(
            "pull reg.example/app:v1",
            "GET",
            "https://reg.example/v2/app/manifests/v1",
            HttpStatusCode.NotFound,
            [new RegistryError { Code = "MANIFEST_UNKNOWN", Message = "manifest unknown" }],
            hint: "check the tag");

        Assert.Equal(
            "pull reg.example/app:v1: GET https://reg.example/v2/app/manifests/v1: 404 Not Found: " +
            "MANIFEST_UNKNOWN: manifest unknown",
            error.Message);
        Assert.Equal("check the tag", error.Hint);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("GET", error.Method);
        Assert.Equal("pull reg.example/app:v1", error.Operation);
        Assert.Equal("https://reg.example/v2/app/manifests/v1", error.Url);
    }

    [Fact]
    public void Message_SeveralCodes_AreJoinedBySemicolons()
    {
        var error = new RegistryException(
            "push reg.example/app:v1",
            "PUT",
            "https://reg.example/v2/app/manifests/v1",
            HttpStatusCode.BadRequest,
            [
                new RegistryError { Code = "MANIFEST_INVALID", Message = "bad", Detail = "{\"field\":\"layers\"}" },
                new RegistryError { Code = "BLOB_UNKNOWN" },
                new RegistryError { Message = "no code" },
            ],
            hint: null);

        Assert.Equal(
            "push reg.example/app:v1: PUT https://reg.example/v2/app/manifests/v1: 400 Bad Request: " +
            "MANIFEST_INVALID: bad ({\"field\":\"layers\"}); BLOB_UNKNOWN; UNKNOWN: no code",
            error.Message);
        Assert.True(error.HasCode("BLOB_UNKNOWN"));
        Assert.False(error.HasCode("blob_unknown"));
    }

    [Fact]
    public void Message_NoCodes_EndsWithTheStatus()
    {
        var error = new RegistryException(
            "push reg.example/app", "POST", "https://reg.example/v2/app/blobs/uploads/",
            HttpStatusCode.Unauthorized, [], null);

        Assert.Equal(
            "push reg.example/app: POST https://reg.example/v2/app/blobs/uploads/: 401 Unauthorized",
            error.Message);
        Assert.Empty(error.Errors);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestEntityTooLarge, "413 Request Entity Too Large")]
    [InlineData(HttpStatusCode.TooManyRequests, "429 Too Many Requests")]
    [InlineData(HttpStatusCode.InternalServerError, "500 Internal Server Error")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "503 Service Unavailable")]
    [InlineData(HttpStatusCode.MethodNotAllowed, "405 Method Not Allowed")]
    [InlineData(HttpStatusCode.Forbidden, "403 Forbidden")]
    public void Message_Status_HasCodeAndReasonPhrase(HttpStatusCode status, string expected)
    {
        var error = new RegistryException("op", "GET", "https://r.example/v2/", status, [], null);

        Assert.EndsWith(": " + expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Message_UnnamedStatus_ShowsTheNumberOnce()
    {
        var error = new RegistryException("op", "GET", "https://r.example/v2/", (HttpStatusCode)499, [], null);

        Assert.Equal("op: GET https://r.example/v2/: 499", error.Message);
    }

    [Fact]
    public void Message_RegistryTextWithLineBreaks_StaysOnOneLine()
    {
        var error = new RegistryException(
            "pull r.example/a:b", "GET", "https://r.example/v2/a/manifests/b", HttpStatusCode.NotFound,
            [new RegistryError { Code = "NAME_UNKNOWN", Message = "repository\r\nnot found\n" }], null);

        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\r', error.Message);
        Assert.Contains("NAME_UNKNOWN: repository", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RegistryException_IsACofferExceptionWithFailureExit()
    {
        var error = new RegistryException("op", "GET", "u", HttpStatusCode.BadGateway, [], null);

        Assert.IsAssignableFrom<CofferException>(error);
        Assert.Equal(ExitCodes.Failure, error.ExitCode);
    }

    [Theory]
    [InlineData("X", null, null, "X")]
    [InlineData("X", "m", null, "X: m")]
    [InlineData("X", "m", "null", "X: m")]
    [InlineData("X", "m", "{}", "X: m")]
    [InlineData("X", "m", "[]", "X: m")]
    [InlineData("X", "", "[1]", "X ([1])")]
    [InlineData(null, null, null, "UNKNOWN")]
    public void RegistryErrorToString_SkipsEmptyParts(string? code, string? message, string? detail, string expected)
    {
        var entry = new RegistryError { Code = code, Message = message, Detail = detail };

        Assert.Equal(expected, entry.ToString());
    }
}
