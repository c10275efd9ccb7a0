namespace Coffer.Targets;

/// <summary>
/// Opens a blob's content for one upload attempt, positioned at <paramref name="offset"/>; each
/// attempt (and each chunk of a chunked upload) asks again, and disposes what it got.
/// </summary>
/// <param name="offset">The first byte the stream must return.</param>
/// <param name="cancellationToken">Cancels the open.</param>
public delegate Task<Stream> BlobOpener(long offset, CancellationToken cancellationToken);
