import CZlib

/// Decompresses exactly one gzip member from a stream of compressed chunks, and knows where it
/// ended: a second member or any other trailing byte is reported, never ignored.
final class GzipReader {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 64 * 1024)
    /// Compressed bytes consumed so far: the offset errors are reported at.
    private(set) var consumed = 0
    private(set) var ended = false

    init() throws(ArchiveError) {
        guard czlib_inflate_init_gzip(&stream) == Z_OK else {
            throw ArchiveError.failure("zlib could not start decompressing")
        }
    }

    deinit {
        inflateEnd(&stream)
    }

    /// Feeds one chunk of compressed bytes; `emit` gets the decompressed bytes in order.
    func feed(_ chunk: [UInt8], emit: ([UInt8]) throws -> Void) throws {
        guard !chunk.isEmpty else { return }
        if ended { throw ArchiveError.trailingData(offset: consumed) }
        var input = chunk
        try input.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = UInt32(inBuffer.count)
            defer { stream.next_in = nil }
            while stream.avail_in > 0 && !ended {
                let before = Int(stream.avail_in)
                let (status, produced) = output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, outBuffer.count - Int(stream.avail_out))
                }
                let used = before - Int(stream.avail_in)
                switch status {
                case Z_OK, Z_BUF_ERROR:
                    break
                case Z_STREAM_END:
                    ended = true
                default:
                    // Where zlib noticed: the damage lies there or just before.
                    throw ArchiveError.corrupt(
                        offset: consumed + used,
                        why: status == Z_DATA_ERROR
                            ? "the compressed stream breaks here (the damage is here or just before)"
                            : "zlib error \(status)")
                }
                consumed += used
                if produced > 0 { try emit(Array(output[0..<produced])) }
                if status == Z_BUF_ERROR && produced == 0 && used == 0 { break }
            }
            if ended && stream.avail_in > 0 { throw ArchiveError.trailingData(offset: consumed) }
        }
    }

    /// At the end of the input: the member must have ended.
    func finish() throws(ArchiveError) {
        guard ended else { throw ArchiveError.truncated(offset: consumed) }
    }
}
