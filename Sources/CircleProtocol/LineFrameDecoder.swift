import Foundation
import NIOCore

/// Cuts a byte stream into newline-terminated frames of at most `maxFrameSize` bytes, without
/// the newline (and without a `\r` before it, for people typing into netcat).
///
/// The limit is checked as bytes arrive, so a peer that never sends a newline cannot make the
/// server buffer more than one frame's worth.
public struct LineFrameDecoder: ByteToMessageDecoder, Sendable {
    public typealias InboundOut = ByteBuffer

    public let maxFrameSize: Int
    /// How far the previous call already looked for a newline, so each byte is scanned once.
    private var scanned = 0

    public init(maxFrameSize: Int) {
        self.maxFrameSize = maxFrameSize
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try nextFrame(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        // A final line without its newline is still a frame: scripts often omit the last one.
        if let frame = try nextFrame(from: &buffer) {
            context.fireChannelRead(Self.wrapInboundOut(frame))
            return .continue
        }
        if seenEOF, buffer.readableBytes > 0, let rest = buffer.readSlice(length: buffer.readableBytes) {
            scanned = 0
            context.fireChannelRead(Self.wrapInboundOut(Self.trimmed(rest)))
        }
        return .needMoreData
    }

    /// The sans-I/O heart of the decoder, usable without a channel.
    public mutating func nextFrame(from buffer: inout ByteBuffer) throws -> ByteBuffer? {
        let from = scanned
        // memchr rather than the generic firstIndex(of:), which looked at a byte at a time.
        let found = buffer.withUnsafeReadableBytes { bytes -> Int? in
            guard bytes.count > from, let base = bytes.baseAddress,
                let hit = memchr(base + from, Int32(UInt8(ascii: "\n")), bytes.count - from)
            else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
        if let length = found {
            guard length <= maxFrameSize else { throw FrameError.tooLarge(limit: maxFrameSize) }
            let line = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            scanned = 0
            return Self.trimmed(line)
        }
        scanned = buffer.readableBytes
        guard buffer.readableBytes <= maxFrameSize else { throw FrameError.tooLarge(limit: maxFrameSize) }
        return nil
    }

    private static func trimmed(_ line: ByteBuffer) -> ByteBuffer {
        var line = line
        if line.readableBytesView.last == UInt8(ascii: "\r") {
            line.moveWriterIndex(to: line.writerIndex - 1)
        }
        return line
    }
}
