import Foundation

/// Writes an archive's gzip bytes as they arrive (a download, say) into a file, sealing them
/// with a passphrase if one is given; the file appears only when complete.
public final class SealedFileWriter {
    private let path: String
    private let temporary: String
    private let file: FileHandle
    private var sealer: SealedWriter?
    private var done = false

    public init(path: String, passphrase: String?) throws {
        self.path = path
        temporary = path + ".partial-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
            let file = FileHandle(forWritingAtPath: temporary)
        else { throw ArchiveError.io("Cannot create \(temporary).") }
        self.file = file
        if let passphrase {
            sealer = try SealedWriter(passphrase: passphrase) { [file] bytes in try file.write(contentsOf: bytes) }
        }
    }

    deinit {
        if !done {
            try? file.close()
            try? FileManager.default.removeItem(atPath: temporary)
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        if let sealer { try sealer.write(bytes) } else { try file.write(contentsOf: bytes) }
    }

    public func finish() throws {
        try sealer?.finish()
        try file.synchronize()
        try file.close()
        done = true
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
        ArchiveWriter.syncDirectory(of: path)
    }
}
