import Crypto
import Foundation

/// Writes an archive as a stream: JSON lines, hashed as they go, through gzip and optionally
/// sealed, into a temporary file that becomes the archive only when it is complete and synced.
public final class ArchiveWriter {
    /// What was written.
    public struct Summary: Hashable, Sendable {
        public var path: String
        /// The SHA-256 of the records before the trailer (the trailer's own checksum).
        public var sha256: String
        /// Bytes of JSON lines (the input) and of the file.
        public var plainBytes: Int
        public var fileBytes: Int
        public var counts: ArchiveCounts
    }

    private let path: String
    private let temporary: String
    private let file: FileHandle
    private var hasher = SHA256()
    private var gzip: GzipWriter!
    private var sealer: SealedWriter?
    private var counts = ArchiveCounts()
    private var plainBytes = 0
    private var fileBytes = 0
    private var pendingOutput: [UInt8] = []
    /// Lines gathered before they are hashed and compressed together: zlib and SHA-256 both
    /// work far faster on 64 KiB at a time than on one 300-byte line at a time.
    private var pendingLines: [UInt8] = []
    private static let batch = 64 * 1024
    private let encoder: JSONEncoder
    private var done = false

    /// Starts an archive at `path`; nothing appears there until `finish` succeeds.
    public init(path: String, passphrase: String? = nil, level: Int32 = 6) throws {
        self.path = path
        temporary = path + ".partial-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw ArchiveError.io("Cannot create \(temporary).") }
        guard let file = FileHandle(forWritingAtPath: temporary) else {
            throw ArchiveError.io("Cannot write \(temporary).")
        }
        self.file = file
        encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        pendingLines.reserveCapacity(Self.batch + 8 * 1024)
        if let passphrase {
            sealer = try SealedWriter(passphrase: passphrase) { [unowned self] bytes in try output(bytes) }
        }
        gzip = try GzipWriter(level: level) { [unowned self] bytes in
            if let sealer { try sealer.write(bytes) } else { try output(bytes) }
        }
    }

    deinit {
        if !done {
            try? file.close()
            try? FileManager.default.removeItem(atPath: temporary)
        }
    }

    /// Writes one record (not the trailer, which `finish` writes).
    public func write(_ record: ArchiveRecord) throws {
        switch record {
        case .event: counts.events += 1
        case .member: counts.members += 1
        case .goal: counts.goals += 1
        case .checkIn: counts.checkIns += 1
        case .journal: counts.journal += 1
        case .trailer: throw ArchiveError.failure("The trailer is written by finish().")
        case .header, .room: break
        }
        try line(Array(try encoder.encode(record)))
    }

    /// Writes an event from the JSON it is stored as, without decoding it again.
    public func writeEvent(json: some Collection<UInt8>) throws {
        counts.events += 1
        pendingLines.append(contentsOf: Self.eventPrefix)
        pendingLines.append(contentsOf: json)
        pendingLines.append(contentsOf: Self.eventSuffix)
        plainBytes += Self.eventPrefix.count + json.count + Self.eventSuffix.count
        if pendingLines.count >= Self.batch { try flushLines() }
    }

    private static let eventPrefix = Array(#"{"type":"event","event":"#.utf8)
    private static let eventSuffix: [UInt8] = [UInt8(ascii: "}"), UInt8(ascii: "\n")]

    /// Writes the trailer, ends the gzip member, syncs the file and moves it into place.
    public func finish() throws -> Summary {
        try flushLines()
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let trailer = Array(try encoder.encode(ArchiveRecord.trailer(ArchiveTrailer(counts: counts, sha256: digest))))
        try gzip.write(trailer + [UInt8(ascii: "\n")])
        plainBytes += trailer.count + 1
        try gzip.finish()
        try sealer?.finish()
        try flushOutput()
        do {
            try file.synchronize()
            try file.close()
            done = true
            try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            throw ArchiveError.io("Could not put the archive in place at \(path): \(error)")
        }
        Self.syncDirectory(of: path)
        return Summary(path: path, sha256: digest, plainBytes: plainBytes, fileBytes: fileBytes, counts: counts)
    }

    private func line(_ bytes: [UInt8]) throws {
        pendingLines.append(contentsOf: bytes)
        pendingLines.append(UInt8(ascii: "\n"))
        plainBytes += bytes.count + 1
        if pendingLines.count >= Self.batch { try flushLines() }
    }

    private func flushLines() throws {
        guard !pendingLines.isEmpty else { return }
        hasher.update(data: pendingLines)
        try gzip.write(pendingLines)
        pendingLines.removeAll(keepingCapacity: true)
    }

    private func output(_ bytes: [UInt8]) throws {
        pendingOutput += bytes
        fileBytes += bytes.count
        if pendingOutput.count >= 256 * 1024 { try flushOutput() }
    }

    private func flushOutput() throws {
        guard !pendingOutput.isEmpty else { return }
        do {
            try file.write(contentsOf: pendingOutput)
        } catch {
            throw ArchiveError.io("Could not write \(temporary): \(error)")
        }
        pendingOutput.removeAll(keepingCapacity: true)
    }

    /// The rename is durable only once the directory itself is synced.
    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
