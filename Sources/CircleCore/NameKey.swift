/// How display names are compared, so that no member can pass for another: two names clash
/// when they differ only in case, spaces, invisible characters or characters that look alike
/// (compatibility forms such as fullwidth letters, and the confusables of Unicode's UTS #39,
/// from `NameTable.swift`).
public enum NameKey {
    /// The marks the chat screen and IRC put before a name to show a role or a kind of line;
    /// a name that starts with one could pass for a facilitator or for the server.
    public static let roleMarks: Set<Character> = [
        "@", "%", "+", "~", "&", "*", "!", "#", "-", "○", "●", "♥", "•", ">",
    ]

    /// The forms `name` is compared in; two names clash when they share one. Two, because
    /// look-alikes cross case: "I" looks like "l" while "Ian" and "ian" differ only in case.
    public static func keys(_ name: String) -> Set<String> {
        let bare = visible(name)
        return [fold(bare).lowercased(), fold(bare.lowercased()).lowercased()]
    }

    /// Whether two names could be mistaken for each other.
    public static func clash(_ one: String, _ other: String) -> Bool {
        !keys(one).isDisjoint(with: keys(other))
    }

    /// Whether the name's first visible character is, or looks like, a role mark.
    public static func startsWithRoleMark(_ name: String) -> Bool {
        guard let first = fold(visible(name)).first else { return false }
        return roleMarks.contains(first)
    }

    /// The name without spaces and the characters nobody sees.
    static func visible(_ name: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            let properties = scalar.properties
            if properties.isWhitespace || properties.isDefaultIgnorableCodePoint
                || properties.generalCategory == .format
            {
                continue
            }
            out.append(scalar)
        }
        return String(out)
    }

    /// Each character as what it looks like.
    static func fold(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if let seen = table[scalar.value] {
                out += seen
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        // The one look-alike of two ASCII letters for one that matters in names.
        return out.replacing("rn", with: "m")
    }

    static let table: [UInt32: String] = {
        var table: [UInt32: String] = [:]
        for line in tableText.split(separator: "\n") {
            guard let tab = line.firstIndex(of: "\t"), let code = UInt32(line[..<tab], radix: 16) else { continue }
            table[code] = String(line[line.index(after: tab)...])
        }
        return table
    }()
}
