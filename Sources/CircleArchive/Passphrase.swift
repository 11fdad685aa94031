import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where an archive's passphrase comes from: a file, `CIRCLE_ARCHIVE_PASSPHRASE`, or a prompt
/// on the terminal that does not echo.
public enum Passphrase {
    public static func read(file: String?, prompt: String, confirm: Bool = false) throws -> String {
        if let file {
            guard let data = FileManager.default.contents(atPath: file),
                let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .newlines), !text.isEmpty
            else { throw ArchiveError.failure("--passphrase-file: \(file) could not be read or is empty.") }
            return text
        }
        if let value = ProcessInfo.processInfo.environment["CIRCLE_ARCHIVE_PASSPHRASE"], !value.isEmpty {
            return value
        }
        guard isatty(STDIN_FILENO) != 0 else {
            throw ArchiveError.failure(
                "A passphrase is needed: give --passphrase-file FILE or set CIRCLE_ARCHIVE_PASSPHRASE.")
        }
        let first = try ask(prompt)
        if confirm {
            guard try ask("Again: ") == first else { throw ArchiveError.failure("The passphrases differ.") }
        }
        guard first.count >= 8 else { throw ArchiveError.failure("Use a passphrase of at least 8 characters.") }
        return first
    }

    private static func ask(_ prompt: String) throws -> String {
        guard let pointer = getpass(prompt) else { throw ArchiveError.failure("No passphrase was typed.") }
        return String(cString: pointer)
    }
}
