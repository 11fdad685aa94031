import CircleArchive
import CircleCore
import CircleProtocol
import Crypto
import Foundation

/// Downloads a prepared archive chunk by chunk into a file, sealing it on this machine when a
/// passphrase is given (the passphrase never leaves it), and checks the bytes against the
/// server's SHA-256.
public enum ArchiveDownload {
    public static func download(
        _ ready: Reply.ArchiveReady, room: RoomID, over connection: CircleConnection, to path: String,
        passphrase: String?
    ) async throws {
        let writer = try SealedFileWriter(path: path, passphrase: passphrase)
        var hasher = SHA256()
        var offset = 0
        while true {
            let chunk: Reply.ArchiveChunk = try await connection.request(
                .archiveRead(.init(room: room, file: ready.file, offset: offset)))
            guard let data = Data(base64Encoded: chunk.data) else {
                throw ClientError.usage("The server sent a chunk that is not base64.")
            }
            hasher.update(data: data)
            try writer.write(Array(data))
            offset += data.count
            if chunk.done || data.isEmpty { break }
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard offset == ready.bytes, digest == ready.sha256 else {
            throw ClientError.usage(
                "The download does not match the server's archive (\(offset) of \(ready.bytes) bytes).")
        }
        try writer.finish()
    }
}
