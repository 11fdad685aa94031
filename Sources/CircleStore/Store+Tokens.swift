import CircleCore
import Foundation
import GRDB

extension Store {
    /// Revokes one token, or every token of an account; audited. Returns how many were revoked.
    @discardableResult
    public func revokeTokens(
        token: String? = nil, tokenHash: String? = nil, account: AccountID? = nil, by actor: AccountID?,
        at now: Timestamp
    ) throws -> Int {
        try auditedWrite { db in
            try Self.revokeTokens(
                hash: tokenHash ?? token.map(Secrets.hash), account: account, by: actor, at: now, in: db)
        }
    }

    /// Revokes a token by its hash, or every token of an account, inside a transaction; audits
    /// it there when any was revoked. For the committer (a running server) and for `circled`.
    static func revokeTokens(
        hash: String?, account: AccountID?, by actor: AccountID?, at now: Timestamp, in db: Database
    ) throws -> Int {
        let count: Int
        if let hash {
            try db.execute(
                sql: "UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL",
                arguments: [now.milliseconds, hash])
            count = db.changesCount
        } else if let account {
            try db.execute(
                sql: "UPDATE tokens SET revoked_at = ? WHERE account = ? AND revoked_at IS NULL",
                arguments: [now.milliseconds, account.rawValue])
            count = db.changesCount
        } else {
            count = 0
        }
        if count > 0 {
            try AuditChain.append(
                AuditRecord(
                    at: now, actor: actor, action: .tokenRevoked, target: account?.rawValue,
                    detail: "\(count) token\(count == 1 ? "" : "s") revoked"),
                in: db)
        }
        return count
    }

    /// The hashes of tokens revoked at or after `since`: what a running server must cut off.
    public func tokensRevoked(since: Timestamp) throws -> Set<String> {
        try pool.read { db in
            Set(
                try String.fetchAll(
                    db, sql: "SELECT hash FROM tokens WHERE revoked_at >= ?", arguments: [since.milliseconds]))
        }
    }

    /// A consistent copy of the database taken while the server runs (SQLite's backup API),
    /// with the archives beside it: `OUT/circle.sqlite` and `OUT/archives/`.
    public func backup(to folder: String) throws {
        guard !FileManager.default.fileExists(atPath: folder + "/" + Self.fileName) else {
            throw CircleError(.badField, "\(folder) already holds a database; choose an empty folder.")
        }
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // The anchor before the database: the copy's trail then holds at least what the
        // copied anchor counts, however many entries are appended meanwhile.
        for name in [AuditAnchor.keyFileName, AuditAnchor.fileName] {
            let source = self.folder + "/" + name
            if FileManager.default.fileExists(atPath: source) {
                try FileManager.default.copyItem(atPath: source, toPath: folder + "/" + name)
            }
        }
        let copy = try DatabaseQueue(path: folder + "/" + Self.fileName)
        try pool.backup(to: copy)
        try copy.close()
        let archives = self.folder + "/archives"
        if FileManager.default.fileExists(atPath: archives) {
            try FileManager.default.copyItem(atPath: archives, toPath: folder + "/archives")
        }
    }

    /// Checks a backup before it is restored: the file is a sound SQLite database, its schema is
    /// one this version knows, and its audit trail is intact. Returns a one-line summary.
    public static func checkBackup(_ folder: String) throws -> String {
        let path = folder + "/" + fileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw CircleError(.badField, "\(folder) holds no \(fileName).")
        }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        let integrity = try queue.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        guard integrity == "ok" else { throw CircleError(.badField, "\(path) is damaged: \(integrity ?? "?")") }
        let applied = try queue.read { db in try StoreMigrations.migrator.appliedIdentifiers(db) }
        let known = Set(StoreMigrations.migrator.migrations)
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw CircleError(.badField, "\(path) was written by a newer Circle (migration '\(unknown)').")
        }
        let (events, rooms) = try queue.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM rooms") ?? 0
            )
        }
        let anchor: AuditHead?
        do {
            anchor = try AuditAnchor.read(folder: folder)
        } catch {
            throw CircleError(.badField, "\(folder): the audit anchor is refused: \(error)")
        }
        let witnesses = anchor.map { [AuditChain.Witness(head: $0, source: "the backup's anchor")] } ?? []
        switch try queue.read({ db in try AuditChain.verify(db, against: witnesses) }) {
        case .intact(let entries, _):
            return "\(rooms) rooms, \(events) events, audit trail intact (\(entries) entries)"
        case .broken(let entry, let reason):
            throw CircleError(.badField, "\(path): the audit trail is broken at entry \(entry): \(reason)")
        }
    }
}
