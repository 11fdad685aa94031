import Crypto
import Foundation

/// Reads an archive as a stream and checks it as it goes: one gzip member and nothing after it,
/// a header first, known records, a trailer last whose counts and SHA-256 match. Any failure
/// names the first bad record or byte offset.
public enum ArchiveReader {
    /// How thoroughly to look at events: decoding each (for show and import) or only checking
    /// its line is a JSON object of the right type (for verify, which is faster).
    public enum Depth: Sendable {
        case records
        case structure
    }

    /// What a read found.
    public struct Result: Hashable, Sendable {
        public var header: ArchiveHeader
        public var trailer: ArchiveTrailer
        public var fileBytes: Int
        public var plainBytes: Int
        public var encrypted: Bool
    }

    /// Reads the archive at `path`, calling `body` with each record between header and trailer
    /// (events only at depth `.records`).
    @discardableResult
    public static func read(
        path: String, passphrase: String? = nil, depth: Depth = .records,
        _ body: (ArchiveRecord) throws -> Void = { _ in }
    ) throws -> Result {
        guard let file = FileHandle(forReadingAtPath: path) else { throw ArchiveError.io("Cannot open \(path).") }
        defer { try? file.close() }
        let gzip = try GzipReader()
        var lines = LineSplitter()
        var state = Validation(depth: depth)
        var sealed: SealedReader?
        var first = true
        var fileBytes = 0
        while true {
            let chunk: Data
            do {
                chunk = try file.read(upToCount: 256 * 1024) ?? Data()
            } catch {
                throw ArchiveError.io("Cannot read \(path): \(error)")
            }
            if chunk.isEmpty { break }
            fileBytes += chunk.count
            let bytes = Array(chunk)
            if first {
                first = false
                if bytes.starts(with: ArchiveSeal.magic) { sealed = SealedReader(passphrase: passphrase) }
            }
            func inflate(_ compressed: [UInt8]) throws {
                try gzip.feed(compressed) { plain in try lines.feed(plain) { try state.take($0, body) } }
            }
            if let sealed { try sealed.feed(bytes, emit: inflate) } else { try inflate(bytes) }
        }
        if first { throw ArchiveError.truncated(offset: 0) }
        try sealed?.finish()
        try gzip.finish()
        if let rest = lines.rest { try state.take(rest[...], body) }
        guard let header = state.header, let trailer = state.trailer else {
            throw ArchiveError.truncated(offset: gzip.consumed)
        }
        return Result(
            header: header, trailer: trailer, fileBytes: fileBytes, plainBytes: state.plainBytes,
            encrypted: sealed != nil)
    }

    /// Splits decompressed bytes into lines without copying more than one line at a time.
    struct LineSplitter {
        private var partial: [UInt8] = []

        mutating func feed(_ bytes: [UInt8], line: (ArraySlice<UInt8>) throws -> Void) throws {
            var start = 0
            while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
                if partial.isEmpty {
                    try line(bytes[start..<newline])
                } else {
                    partial += bytes[start..<newline]
                    try line(partial[...])
                    partial.removeAll(keepingCapacity: true)
                }
                start = newline + 1
            }
            partial += bytes[start...]
        }

        /// A last line without its newline, if any.
        var rest: [UInt8]? { partial.isEmpty ? nil : partial }
    }

    /// The checks, record by record.
    struct Validation {
        let depth: Depth
        var line = 0
        var header: ArchiveHeader?
        var trailer: ArchiveTrailer?
        var counts = ArchiveCounts()
        var hasher = SHA256()
        var plainBytes = 0
        let decoder = JSONDecoder()

        struct Head: Decodable {
            var type: String
        }

        static let eventStart = Array(#"{"type":"event","event":{"#.utf8)
        static let newline: [UInt8] = [UInt8(ascii: "\n")]

        mutating func take(_ bytes: ArraySlice<UInt8>, _ body: (ArchiveRecord) throws -> Void) throws {
            line += 1
            plainBytes += bytes.count + 1
            if trailer != nil { throw ArchiveError.badRecord(line: line, why: "nothing may follow the trailer") }
            // The fast path for verify: an event line as writers frame it is counted and hashed
            // without being parsed; the checksum vouches for what is inside.
            if depth == .structure, line > 1, bytes.starts(with: Self.eventStart), bytes.last == UInt8(ascii: "}") {
                bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                hasher.update(data: Self.newline)
                counts.events += 1
                return
            }
            let data = Data(bytes)
            let head: Head
            do {
                head = try decoder.decode(Head.self, from: data)
            } catch {
                throw ArchiveError.badRecord(line: line, why: "not a JSON object with a 'type'")
            }
            if line == 1 && head.type != "header" {
                throw ArchiveError.badRecord(line: line, why: "the first record must be the header")
            }
            if head.type == "trailer" {
                try finishWith(data)
                return
            }
            bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
            hasher.update(data: Self.newline)
            if head.type == "event" && depth == .structure {
                counts.events += 1
                return
            }
            let record: ArchiveRecord
            do {
                record = try decoder.decode(ArchiveRecord.self, from: data)
            } catch {
                throw ArchiveError.badRecord(line: line, why: "a '\(head.type)' record that cannot be read (\(error))")
            }
            switch record {
            case .header(let value):
                guard line == 1 else { throw ArchiveError.badRecord(line: line, why: "a second header") }
                guard value.format == ArchiveHeader.currentFormat else {
                    throw ArchiveError.badRecord(
                        line: line, why: "format \(value.format) is not one this version reads")
                }
                header = value
                return
            case .event: counts.events += 1
            case .member: counts.members += 1
            case .goal: counts.goals += 1
            case .checkIn: counts.checkIns += 1
            case .journal: counts.journal += 1
            case .room, .trailer: break
            }
            try body(record)
        }

        private mutating func finishWith(_ data: Data) throws {
            guard case .trailer(let value) = try? decoder.decode(ArchiveRecord.self, from: data) else {
                throw ArchiveError.badRecord(line: line, why: "a trailer that cannot be read")
            }
            let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            guard value.sha256 == digest else {
                throw ArchiveError.mismatch(
                    "the checksum does not match: the trailer (record \(line)) says \(value.sha256), the records hash to \(digest)"
                )
            }
            guard value.counts == counts else {
                throw ArchiveError.mismatch("the trailer's counts \(value.counts) disagree with the records \(counts)")
            }
            guard let header else { throw ArchiveError.badRecord(line: line, why: "a trailer without a header") }
            guard header.counts == counts else {
                throw ArchiveError.mismatch("the header's counts \(header.counts) disagree with the records \(counts)")
            }
            trailer = value
        }
    }
}
