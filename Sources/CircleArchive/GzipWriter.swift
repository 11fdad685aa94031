import CZlib
import Dispatch
import Foundation

/// Writes one gzip member, compressing 1 MiB blocks on two worker threads, as pigz does: each
/// block is a raw deflate stream ended with a sync flush, so their concatenation (and a final
/// empty block) is one valid deflate stream, and the blocks' CRC-32s combine in order. On two
/// cores this keeps zlib, an export's slowest stage, off the thread that reads and hashes.
/// Compressed bytes reach `sink` in order, on the caller's thread; at most `inFlight` blocks
/// are held at once, so memory stays bounded.
///
/// `@unchecked Sendable`: a worker touches only the block it took and its own z_stream; jobs
/// and results pass through `waiting` and `results`, which `lock` guards.
final class GzipWriter: @unchecked Sendable {
    typealias Compressed = (data: [UInt8], crc: UInt, count: Int)

    private let level: Int32
    private let blockSize: Int
    private let sink: ([UInt8]) throws -> Void
    private var block: [UInt8] = []
    private var submitted = 0
    private var emitted = 0
    private var crc: UInt = 0
    private var length: UInt64 = 0
    private var finished = false
    private let lock = NSLock()
    private var waiting: [(index: Int, input: [UInt8])] = []
    private var results: [Int: Result<Compressed, ArchiveError>] = [:]
    private var stopping = false
    /// Free places for blocks in flight; signalled as blocks are written out.
    private let slots: DispatchSemaphore
    /// Signalled once per finished block.
    private let ready = DispatchSemaphore(value: 0)
    /// Signalled once per queued block (and once per worker to stop).
    private let work = DispatchSemaphore(value: 0)
    private let workers = 2

    /// `level` 1 is fastest; 6 is zlib's default balance of speed and size.
    init(level: Int32 = 6, blockSize: Int = 1 << 20, inFlight: Int = 4, sink: @escaping ([UInt8]) throws -> Void)
        throws
    {
        self.level = level
        self.blockSize = blockSize
        self.sink = sink
        slots = DispatchSemaphore(value: inFlight)
        block.reserveCapacity(blockSize)
        try sink([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
        for number in 0..<workers {
            let thread = Thread { [self] in runWorker() }
            thread.name = "circle-gzip-\(number)"
            thread.start()
        }
    }

    deinit {
        stop()
    }

    func write(_ bytes: [UInt8]) throws {
        var rest = bytes[...]
        while !rest.isEmpty {
            let take = min(blockSize - block.count, rest.count)
            block.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
            if block.count == blockSize { try submit() }
        }
    }

    /// Ends the member: the last block, a final empty block, then the CRC-32 and length.
    func finish() throws {
        guard !finished else { return }
        finished = true
        if !block.isEmpty { try submit() }
        while emitted < submitted {
            ready.wait()
            try emitReady()
        }
        stop()
        // An empty fixed-Huffman block with the final bit set ends the deflate stream.
        try sink([0x03, 0x00])
        let size = UInt32(truncatingIfNeeded: length)
        let check = UInt32(truncatingIfNeeded: crc)
        try sink(
            (0..<4).map { UInt8(truncatingIfNeeded: check >> (8 * $0)) }
                + (0..<4).map { UInt8(truncatingIfNeeded: size >> (8 * $0)) })
    }

    private func stop() {
        let first = lock.withLock {
            defer { stopping = true }
            return !stopping
        }
        if first { for _ in 0..<workers { work.signal() } }
    }

    private func submit() throws {
        let input = block
        block = []
        block.reserveCapacity(blockSize)
        // Wait for a free place, writing out whatever finished meanwhile.
        while slots.wait(timeout: .now()) == .timedOut {
            ready.wait()
            try emitReady()
        }
        lock.withLock { waiting.append((submitted, input)) }
        submitted += 1
        work.signal()
        try emitReady()
    }

    /// Writes finished blocks in order, as far as they go.
    private func emitReady() throws {
        while true {
            let next = lock.withLock { results.removeValue(forKey: emitted) }
            guard let next else { return }
            let block = try next.get()
            emitted += 1
            slots.signal()
            crc = crc32_combine(crc, block.crc, Int(block.count))
            length += UInt64(block.count)
            if !block.data.isEmpty { try sink(block.data) }
        }
    }

    private func runWorker() {
        while true {
            work.wait()
            let job: (index: Int, input: [UInt8])?? = lock.withLock {
                if stopping && waiting.isEmpty { return .some(nil) }
                return waiting.isEmpty ? nil : waiting.removeFirst()
            }
            guard let job else { continue }
            guard let job else { return }
            let result = Self.compress(job.input, level: level)
            lock.withLock { results[job.index] = result }
            ready.signal()
        }
    }

    private static func compress(_ input: [UInt8], level: Int32) -> Result<Compressed, ArchiveError> {
        var stream = z_stream()
        guard czlib_deflate_init_raw(&stream, level) == Z_OK else {
            return .failure(.failure("zlib could not start compressing"))
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))) + 16)
        let status = input.withUnsafeBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                // zlib only reads its input; the pointer is mutable in its C signature alone.
                stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress)
                stream.avail_in = UInt32(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = UInt32(outBuffer.count)
                return deflate(&stream, Z_SYNC_FLUSH)
            }
        }
        guard status == Z_OK, stream.avail_in == 0 else {
            return .failure(.failure("zlib failed while compressing (\(status))"))
        }
        output.removeLast(Int(stream.avail_out))
        let crc = input.withUnsafeBufferPointer { crc32(0, $0.baseAddress, UInt32($0.count)) }
        return .success((output, crc, input.count))
    }
}
