using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Coffer.Tests.Signing.Verification;

/// <summary>Records every event of the .NET networking event sources while it lives.</summary>
internal sealed class NetworkEventListener : EventListener
{
    private static readonly string[] Sources =
        ["System.Net.Http", "System.Net.Sockets", "System.Net.NameResolution", "System.Net.Security"];

    public ConcurrentQueue<string> Events { get; } = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (Sources.Contains(eventSource.Name))
        {
            EnableEvents(eventSource, EventLevel.Verbose, EventKeywords.All);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (Sources.Contains(eventData.EventSource.Name) && eventData.EventName is not "EventCounters")
        {
            Events.Enqueue($"{eventData.EventSource.Name}/{eventData.EventName}");
        }
    }
}
