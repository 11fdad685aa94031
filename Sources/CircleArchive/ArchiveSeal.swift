import Crypto
import CryptoExtras
import Foundation

/// Encryption of an archive with a passphrase: scrypt derives a key from it and a random salt,
/// and the gzip stream is sealed with AES-256-GCM in chunks, each numbered (the nonce and the
/// authenticated data carry the number, and the last chunk is marked), so a chunk moved,
/// dropped or cut short fails to open. Memory stays fixed whatever the size.
///
/// Layout: the line `CIRCLE-SEALED-ARCHIVE 1`, one JSON line of `ArchiveSeal.Parameters`, then
/// chunks, each a 4-byte big-endian length and the sealed box (12-byte nonce, ciphertext,
/// 16-byte tag).
enum ArchiveSeal {
    static let magic = Array("CIRCLE-SEALED-ARCHIVE 1\n".utf8)
    static let chunkSize = 64 * 1024

    struct Parameters: Codable {
        var kdf = "scrypt"
        /// scrypt's cost (N), block size (r) and parallelism (p).
        var n: Int
        var r: Int
        var p: Int
        var salt: String
        var cipher = "AES-256-GCM"
        var chunk: Int
        /// The first 4 bytes of every chunk's nonce; the other 8 are the chunk's number.
        var nonce: String
        /// HMAC-SHA256 of a fixed text under the key, cut to 16 bytes: tells a wrong passphrase
        /// from a damaged file.
        var check: String
    }

    static func key(_ passphrase: String, _ parameters: Parameters) throws -> SymmetricKey {
        guard let salt = Data(base64Encoded: parameters.salt) else { throw ArchiveError.failure("bad salt") }
        return try KDF.Scrypt.deriveKey(
            from: Array(passphrase.utf8), salt: salt, outputByteCount: 32, rounds: parameters.n,
            blockSize: parameters.r, parallelism: parameters.p)
    }

    static func check(_ key: SymmetricKey) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Array("circle-archive-key-check".utf8), using: key).prefix(16))
            .base64EncodedString()
    }

    static func nonce(prefix: [UInt8], counter: UInt64) throws -> AES.GCM.Nonce {
        try AES.GCM.Nonce(data: prefix + bigEndian(counter))
    }

    static func authenticated(counter: UInt64, final: Bool) -> [UInt8] {
        bigEndian(counter) + [final ? 1 : 0]
    }

    static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * UInt64($0))) }
    }
}

/// Seals what it is given in numbered chunks, handing the sealed bytes to `sink`.
final class SealedWriter {
    private let key: SymmetricKey
    private let prefix: [UInt8]
    private var buffer: [UInt8] = []
    private var counter: UInt64 = 0
    private let sink: ([UInt8]) throws -> Void

    init(passphrase: String, sink: @escaping ([UInt8]) throws -> Void) throws {
        self.sink = sink
        var salt = [UInt8](repeating: 0, count: 16)
        var prefix = [UInt8](repeating: 0, count: 4)
        for index in salt.indices { salt[index] = UInt8.random(in: 0...255) }
        for index in prefix.indices { prefix[index] = UInt8.random(in: 0...255) }
        self.prefix = prefix
        var parameters = ArchiveSeal.Parameters(
            n: 1 << 15, r: 8, p: 1, salt: Data(salt).base64EncodedString(), chunk: ArchiveSeal.chunkSize,
            nonce: Data(prefix).base64EncodedString(), check: "")
        key = try ArchiveSeal.key(passphrase, parameters)
        parameters.check = ArchiveSeal.check(key)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try sink(ArchiveSeal.magic + Array(try encoder.encode(parameters)) + [UInt8(ascii: "\n")])
    }

    func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        while buffer.count > ArchiveSeal.chunkSize {
            try seal(Array(buffer[0..<ArchiveSeal.chunkSize]), final: false)
            buffer.removeFirst(ArchiveSeal.chunkSize)
        }
    }

    func finish() throws {
        try seal(buffer, final: true)
        buffer = []
    }

    private func seal(_ plain: [UInt8], final: Bool) throws {
        let box = try AES.GCM.seal(
            plain, using: key, nonce: try ArchiveSeal.nonce(prefix: prefix, counter: counter),
            authenticating: ArchiveSeal.authenticated(counter: counter, final: final))
        guard let combined = box.combined else { throw ArchiveError.failure("AES-GCM gave no sealed box") }
        let length = UInt32(combined.count)
        try sink((0..<4).map { UInt8(truncatingIfNeeded: length >> (24 - 8 * UInt32($0))) } + Array(combined))
        counter += 1
    }
}

/// Opens a sealed archive chunk by chunk, handing the gzip bytes to `emit`.
final class SealedReader {
    private let passphrase: String?
    private var pending: [UInt8] = []
    private var key: SymmetricKey?
    private var prefix: [UInt8] = []
    private var counter: UInt64 = 0
    /// Bytes of the file consumed, for error offsets.
    private var consumed = 0
    private(set) var finished = false

    init(passphrase: String?) {
        self.passphrase = passphrase
    }

    func feed(_ bytes: [UInt8], emit: ([UInt8]) throws -> Void) throws {
        pending += bytes
        if key == nil {
            guard let newline = pending.dropFirst(ArchiveSeal.magic.count).firstIndex(of: UInt8(ascii: "\n")) else {
                return
            }
            let line = Array(pending[ArchiveSeal.magic.count..<newline])
            let parameters: ArchiveSeal.Parameters
            do {
                parameters = try JSONDecoder().decode(ArchiveSeal.Parameters.self, from: Data(line))
            } catch {
                throw ArchiveError.corrupt(
                    offset: ArchiveSeal.magic.count, why: "the encryption header is not readable")
            }
            guard parameters.kdf == "scrypt", parameters.cipher == "AES-256-GCM",
                (1 << 10...1 << 20).contains(parameters.n), (1...32).contains(parameters.r),
                (1...16).contains(parameters.p), let prefix = Data(base64Encoded: parameters.nonce), prefix.count == 4
            else {
                throw ArchiveError.corrupt(offset: ArchiveSeal.magic.count, why: "unsupported encryption parameters")
            }
            guard let passphrase else { throw ArchiveError.needsPassphrase }
            let key = try ArchiveSeal.key(passphrase, parameters)
            guard ArchiveSeal.check(key) == parameters.check else { throw ArchiveError.wrongPassphrase }
            self.key = key
            self.prefix = Array(prefix)
            consumed = newline + 1
            pending.removeFirst(newline + 1)
        }
        guard let key else { return }
        while pending.count >= 4 {
            if finished { throw ArchiveError.trailingData(offset: consumed) }
            let length = pending[0..<4].reduce(0) { $0 << 8 | Int($1) }
            guard (28...(ArchiveSeal.chunkSize + 28)).contains(length) else {
                throw ArchiveError.sealBroken(offset: consumed, why: "a chunk length of \(length) is impossible")
            }
            guard pending.count >= 4 + length else { return }
            let sealed = Array(pending[4..<(4 + length)])
            let plain: [UInt8]
            do {
                let box = try AES.GCM.SealedBox(combined: sealed)
                if let opened = try? AES.GCM.open(
                    box, using: key, authenticating: ArchiveSeal.authenticated(counter: counter, final: false))
                {
                    plain = Array(opened)
                } else {
                    plain = Array(
                        try AES.GCM.open(
                            box, using: key, authenticating: ArchiveSeal.authenticated(counter: counter, final: true)))
                    finished = true
                }
            } catch {
                throw ArchiveError.sealBroken(offset: consumed, why: "chunk \(counter) was altered or is out of place")
            }
            consumed += 4 + length
            pending.removeFirst(4 + length)
            counter += 1
            try emit(plain)
        }
    }

    func finish() throws {
        if key == nil { throw ArchiveError.truncated(offset: pending.count) }
        guard finished, pending.isEmpty else {
            if finished { throw ArchiveError.trailingData(offset: consumed) }
            throw ArchiveError.sealBroken(offset: consumed, why: "the file is cut short (its last chunk is missing)")
        }
    }
}
