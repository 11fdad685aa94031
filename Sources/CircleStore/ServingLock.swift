import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The claim a serving `circled` holds on its data folder, as an exclusive `flock` on
/// `circled.lock`: the kernel lets it go when the process ends, however it ends, so a crash
/// leaves no stale lock. Commands that must not run beside a server (archive import, which
/// writes events behind the server's back) ask it first.
public final class ServingLock: Sendable {
    public static let fileName = "circled.lock"
    private let descriptor: Int32

    /// Claims `folder` for a server, or says which process already serves it.
    public init(folder: String) throws {
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = (folder as NSString).appendingPathComponent(Self.fileName)
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw ServingLockError.alreadyServed(folder: folder)
        }
        // The holder's process id, for an operator who wonders which one it is.
        _ = ftruncate(descriptor, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pid.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    deinit { close(descriptor) }

    /// Whether a server holds `folder` now.
    public static func isHeld(folder: String) -> Bool {
        let path = (folder as NSString).appendingPathComponent(fileName)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return true }
        flock(descriptor, LOCK_UN)
        return false
    }
}

/// Why a data folder could not be claimed.
public enum ServingLockError: Error, CustomStringConvertible {
    case alreadyServed(folder: String)

    public var description: String {
        switch self {
        case .alreadyServed(let folder): "Another circled is already serving \(folder); stop it first."
        }
    }
}
