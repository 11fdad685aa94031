import CircleArchive
import CircleCore
import CircleTestSupport
import Foundation
import Testing

/// Archives against real files and the real zlib: round trips, and every kind of damage found
/// and located.
@Suite struct ArchiveFileTests {
    static let room = RoomID("r-1")

    /// Writes a small session archive: header, room, a member, `events` messages.
    static func write(
        to path: String, events: Int = 50, passphrase: String? = nil
    ) throws -> ArchiveWriter.Summary {
        let writer = try ArchiveWriter(path: path, passphrase: passphrase)
        let header = ArchiveHeader(
            server: "test", scope: .session, room: room, roomName: "Tuesday group", session: 1, firstSeq: 1,
            lastSeq: Int64(events), from: Timestamp(milliseconds: 0), to: Timestamp(milliseconds: 1),
            createdAt: Timestamp(milliseconds: 2), counts: ArchiveCounts(events: events, members: 1))
        try writer.write(.header(header))
        try writer.write(
            .member(
                Member(id: AccountID("u-sam"), name: "Sam", role: .participant, joinedAt: Timestamp(milliseconds: 0))))
        let encoder = JSONEncoder()
        for seq in 1...Int64(events) {
            let event = Event(
                room: room, seq: seq, session: 1, at: Timestamp(milliseconds: seq), actor: AccountID("u-sam"),
                audience: .room,
                body: .message(text: "message number \(seq), with some words to compress", clientID: nil))
            try writer.writeEvent(json: Array(try encoder.encode(event)))
        }
        return try writer.finish()
    }

    func failure(_ path: String, passphrase: String? = nil) -> ArchiveError? {
        do {
            try ArchiveReader.read(path: path, passphrase: passphrase, depth: .structure)
            return nil
        } catch let error as ArchiveError {
            return error
        } catch {
            return .failure("\(error)")
        }
    }

    @Test func aRoundTripGivesBackEveryRecordInOrder() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s1.circle.gz"
        let summary = try Self.write(to: path, events: 500)
        #expect(summary.counts.events == 500 && summary.fileBytes < summary.plainBytes / 3)
        var seqs: [Int64] = []
        var names: [String] = []
        let result = try ArchiveReader.read(path: path) { record in
            if case .event(let event) = record { seqs.append(event.seq) }
            if case .member(let member) = record { names.append(member.name) }
        }
        #expect(seqs == Array(1...500))
        #expect(names == ["Sam"])
        #expect(result.header.roomName == "Tuesday group" && result.trailer.sha256 == summary.sha256)
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test func itIsPlainGzipOfJSONLines() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s1.circle.gz"
        _ = try Self.write(to: path, events: 3)
        let lines = try Self.gunzip(path).split(separator: "\n")
        #expect(lines.count == 6)
        for line in lines { #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any]) }
        #expect(lines.first?.contains(#""type":"header""#) == true)
        #expect(lines.last?.contains(#""type":"trailer""#) == true)
    }

    @Test func aFlippedByteIsFoundAndLocated() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s1.circle.gz"
        let summary = try Self.write(to: path, events: 2000)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let offset = summary.fileBytes / 2
        bytes[offset] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = try #require(failure(path))
        switch error {
        // zlib notices damage where it breaks the stream: at the flipped byte or after it.
        case .corrupt(let at, _): #expect(at >= offset && at <= summary.fileBytes)
        case .mismatch, .badRecord: break
        default: Issue.record("unexpected \(error)")
        }
    }

    @Test func aTruncatedFileIsFoundAndLocated() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s1.circle.gz"
        let summary = try Self.write(to: path, events: 2000)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(summary.fileBytes - 100).write(to: URL(fileURLWithPath: path))
        #expect(failure(path) == .truncated(offset: summary.fileBytes - 100))
    }

    @Test func aSecondGzipMemberIsRejectedNotIgnored() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s1.circle.gz"
        let other = folder.path + "/other.circle.gz"
        let summary = try Self.write(to: path, events: 10)
        _ = try Self.write(to: other, events: 10)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes += try Data(contentsOf: URL(fileURLWithPath: other))
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(failure(path) == .trailingData(offset: summary.fileBytes))
    }

    @Test func anEditedRecordFailsTheChecksum() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s1.circle.gz"
        _ = try Self.write(to: path, events: 5)
        // Re-compress the same lines with one word changed: gzip is intact, the trailer is not.
        let plain = try Self.gunzip(path).replacingOccurrences(of: "message number 3,", with: "message number 9,")
        try Self.gzip(plain, to: path)
        guard case .mismatch(let why)? = failure(path) else {
            Issue.record("an edited record passed")
            return
        }
        #expect(why.contains("checksum"))
    }

    @Test func encryptedArchivesOpenOnlyWithTheirPassphrase() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/s1.circle.sealed"
        let summary = try Self.write(to: path, events: 3000, passphrase: "correct horse")
        #expect(failure(path, passphrase: "correct horse") == nil)
        #expect(failure(path, passphrase: "wrong horse") == .wrongPassphrase)
        #expect(failure(path) == .needsPassphrase)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(!bytes.starts(with: [0x1f, 0x8b]))
        // Cut off the last chunk, then flip a byte: both are refused, neither decrypts to garbage.
        try bytes.prefix(summary.fileBytes - 20).write(to: URL(fileURLWithPath: path))
        guard case .sealBroken? = failure(path, passphrase: "correct horse") else {
            Issue.record("a cut sealed archive opened")
            return
        }
        var flipped = bytes
        flipped[flipped.count / 2] ^= 1
        try flipped.write(to: URL(fileURLWithPath: path))
        guard case .sealBroken? = failure(path, passphrase: "correct horse") else {
            Issue.record("an altered sealed archive opened")
            return
        }
    }

    static func gunzip(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func gzip(_ text: String, to path: String) throws {
        let plain = path + ".txt"
        try Data(text.utf8).write(to: URL(fileURLWithPath: plain))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-f", plain]
        try process.run()
        process.waitUntilExit()
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: plain + ".gz", toPath: path)
    }
}
