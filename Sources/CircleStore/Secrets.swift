import CircleCore
import Crypto

/// Minting of identifiers, tokens and invite codes, and the hashes they are stored as.
public enum Secrets {
    /// Crockford's base32 without I, L, O and U: nothing a person could misread when copying a
    /// code from a message.
    static let alphabet = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// A bearer token: 256 random bits. Stored only as `hash(_:)`; random tokens need no slow KDF.
    public static func newToken() -> String {
        "ct_" + random(count: 52)
    }

    /// An invite code a person can read aloud: 10 characters (50 bits) in two groups.
    public static func newInviteCode() -> String {
        let raw = random(count: 10).uppercased()
        return String(raw.prefix(5)) + "-" + String(raw.suffix(5))
    }

    /// Folds what a person typed to the canonical code: case, spaces and dashes do not matter,
    /// and the letters Crockford's base32 reads as digits are read as those digits.
    public static func normalizedInviteCode(_ typed: String) -> String {
        var result = ""
        for character in typed.lowercased() {
            switch character {
            case " ", "-", "\t": continue
            case "o": result.append("0")
            case "i", "l": result.append("1")
            default: result.append(character)
            }
        }
        return result
    }

    public static func newRoomID() -> RoomID { RoomID("r" + random(count: 12)) }
    public static func newAccountID() -> AccountID { AccountID("u" + random(count: 12)) }
    public static func newInviteID() -> InviteID { InviteID("i" + random(count: 12)) }
    /// A journal entry's number: random, so it says nothing about how much others write, and
    /// below 2^53 so every JSON reader keeps it exact.
    public static func newEntryID() -> Int64 { Int64.random(in: 1..<(1 << 53)) }

    /// SHA-256, in hex: what the database keeps instead of a token or a code.
    public static func hash(_ secret: String) -> String {
        sha256Hex(secret)
    }

    /// SHA-256 of a string's UTF-8 bytes, as 64 lowercase hex digits.
    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private static func random(count: Int) -> String {
        // SystemRandomNumberGenerator reads the kernel's CSPRNG (getrandom on Linux).
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))] })
    }
}
