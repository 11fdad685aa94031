import CZlib

/// Compresses a stream into one gzip member, handing compressed bytes to `sink` as they come,
/// so an archive of any size is written with a fixed amount of memory.
final class GzipWriter {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: 64 * 1024)
    private let sink: ([UInt8]) throws -> Void
    private var finished = false

    /// `level` 1 is fastest; 6 is zlib's default balance of speed and size.
    init(level: Int32 = 6, sink: @escaping ([UInt8]) throws -> Void) throws(ArchiveError) {
        self.sink = sink
        guard czlib_deflate_init_gzip(&stream, level) == Z_OK else {
            throw ArchiveError.failure("zlib could not start compressing")
        }
    }

    deinit {
        deflateEnd(&stream)
    }

    func write(_ bytes: [UInt8]) throws {
        try run(bytes, flush: Z_NO_FLUSH)
    }

    /// Ends the member (the gzip trailer with its CRC-32 and length).
    func finish() throws {
        guard !finished else { return }
        finished = true
        try run([], flush: Z_FINISH)
    }

    private func run(_ input: [UInt8], flush: Int32) throws {
        var input = input
        try input.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = UInt32(inBuffer.count)
            while true {
                let (status, produced) = output.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = UInt32(outBuffer.count)
                    let status = deflate(&stream, flush)
                    return (status, outBuffer.count - Int(stream.avail_out))
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw ArchiveError.failure("zlib failed while compressing (\(status))")
                }
                if produced > 0 { try sink(Array(output[0..<produced])) }
                if flush == Z_FINISH {
                    if status == Z_STREAM_END { break }
                } else if stream.avail_in == 0 && produced < output.count {
                    break
                }
            }
            stream.next_in = nil
        }
    }
}
