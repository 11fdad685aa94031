/// Why an archive could not be written, read or trusted, with where the trouble starts.
public enum ArchiveError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The compressed stream is damaged at about this byte of the file.
    case corrupt(offset: Int, why: String)
    /// The file ends before the archive does.
    case truncated(offset: Int)
    /// Bytes follow the end of the one gzip member (such as a second member).
    case trailingData(offset: Int)
    /// A record (line, counted from 1) is not what the format allows.
    case badRecord(line: Int, why: String)
    /// The trailer's counts or checksum disagree with the content.
    case mismatch(String)
    case wrongPassphrase
    /// An encrypted archive whose sealed chunks fail to open (altered, or cut short).
    case sealBroken(offset: Int, why: String)
    case needsPassphrase
    case io(String)
    case failure(String)

    public var description: String {
        switch self {
        case .corrupt(let offset, let why): return "damaged at byte \(offset): \(why)"
        case .truncated(let offset): return "truncated: the archive stops at byte \(offset) before its end"
        case .trailingData(let offset): return "unexpected data after the archive's end, at byte \(offset)"
        case .badRecord(let line, let why): return "record \(line) is not valid: \(why)"
        case .mismatch(let why): return why
        case .wrongPassphrase: return "wrong passphrase"
        case .sealBroken(let offset, let why): return "the encrypted archive does not open at byte \(offset): \(why)"
        case .needsPassphrase: return "this archive is encrypted: give its passphrase"
        case .io(let why): return why
        case .failure(let why): return why
        }
    }
}
