import CircleCore
import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The data folder's own record of the audit trail's head, `audit-head.json`, signed with
/// HMAC-SHA256 under a key kept beside it (`audit-head.key`, mode 0600). It is raised after
/// every commit that appends to the trail and never lowered, so deleting the newest rows of
/// the database leaves the anchor counting more entries than the trail holds.
///
/// The signature ties the file to this folder's key: a head file edited by hand, or copied
/// from another deployment, is refused. Someone who can rewrite the whole folder can rewrite
/// the key too; the heads carried by session archives that have left the machine (exports,
/// backups) are the witness that survives that.
public enum AuditAnchor {
    public static let fileName = "audit-head.json"
    public static let keyFileName = "audit-head.key"

    struct File: Codable {
        var entries: Int64
        var hash: String
        var mac: String
    }

    /// Why an anchor file could not be trusted.
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
    }

    /// Raises the anchor to `head` unless it already counts as many entries; under an
    /// exclusive lock, so the server and `circled admin` raising at once keep the higher.
    public static func raise(folder: String, to head: AuditHead) throws {
        let lockPath = (folder as NSString).appendingPathComponent(fileName + ".lock")
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: lockPath])
        }
        defer { close(descriptor) }
        flock(descriptor, LOCK_EX)
        defer { flock(descriptor, LOCK_UN) }
        let path = (folder as NSString).appendingPathComponent(fileName)
        let key: SymmetricKey
        if let existing = try existingKey(folder: folder) {
            key = existing
        } else {
            guard !FileManager.default.fileExists(atPath: path) else {
                throw Refusal(description: "\(fileName) is there but its key \(keyFileName) is missing")
            }
            key = try newKey(folder: folder)
        }
        // An anchor that does not check out is kept as found, never written over: it is
        // evidence, and verify goes on naming it until the operator looks.
        if let current = try read(folder: folder, key: key), current.entries >= head.entries { return }
        let file = File(entries: head.entries, hash: head.hash, mac: mac(head, key: key))
        try writeDurably(try JSONEncoder().encode(file), to: path)
    }

    /// The anchor of `folder`, nil if it has none yet; throws `Refusal` if its signature does
    /// not check out.
    public static func read(folder: String) throws -> AuditHead? {
        guard let key = try existingKey(folder: folder) else {
            let path = (folder as NSString).appendingPathComponent(fileName)
            guard !FileManager.default.fileExists(atPath: path) else {
                throw Refusal(description: "\(fileName) is there but its key \(keyFileName) is missing")
            }
            return nil
        }
        return try read(folder: folder, key: key)
    }

    private static func read(folder: String, key: SymmetricKey) throws -> AuditHead? {
        let path = (folder as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let file = try? JSONDecoder().decode(File.self, from: data) else {
            throw Refusal(description: "\(fileName) cannot be read as an anchor")
        }
        let head = AuditHead(entries: file.entries, hash: file.hash)
        guard mac(head, key: key) == file.mac else {
            throw Refusal(
                description:
                    "\(fileName) does not carry this folder's signature: it was edited or copied from elsewhere")
        }
        return head
    }

    private static func mac(_ head: AuditHead, key: SymmetricKey) -> String {
        let message = "circle-audit-head-v1|\(head.entries)|\(head.hash)"
        return HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)
            .map { String(format: "%02x", $0) }.joined()
    }

    private static func existingKey(folder: String) throws -> SymmetricKey? {
        let path = (folder as NSString).appendingPathComponent(keyFileName)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard data.count == 32 else { throw Refusal(description: "\(keyFileName) is not a key this version wrote") }
        return SymmetricKey(data: data)
    }

    private static func newKey(folder: String) throws -> SymmetricKey {
        let key = SymmetricKey(size: .bits256)
        try writeDurably(key.withUnsafeBytes { Data($0) }, to: (folder as NSString).appendingPathComponent(keyFileName))
        return key
    }

    /// Temporary file, fsync, rename, fsync of the folder: a crash leaves the old file or the
    /// new one, never half of either.
    private static func writeDurably(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary])
        }
        let written = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == data.count, synced == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        let folder = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }
}
