/// One IRC line (RFC 1459 as modern clients speak it, with IRCv3 message tags): parsed from
/// what a client sends, and written for what it receives. Pure: no socket, no server state.
public struct IRCMessage: Hashable, Sendable {
    /// IRCv3 tags in the order written (`time`, `msgid`, …); a tag with no value has "".
    public var tags: [(key: String, value: String)]
    /// Who it comes from (`nick!user@host` or the server's name); nil from a client.
    public var source: String?
    /// The verb (upper-cased on parsing) or a three-digit numeric.
    public var command: String
    public var parameters: [String]

    public init(
        tags: [(key: String, value: String)] = [], source: String? = nil, _ command: String, _ parameters: [String] = []
    ) {
        self.tags = tags
        self.source = source
        self.command = command
        self.parameters = parameters
    }

    public static func == (lhs: IRCMessage, rhs: IRCMessage) -> Bool {
        lhs.tags.map(\.key) == rhs.tags.map(\.key) && lhs.tags.map(\.value) == rhs.tags.map(\.value)
            && lhs.source == rhs.source && lhs.command == rhs.command && lhs.parameters == rhs.parameters
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(command)
        hasher.combine(parameters)
    }

    /// The value of tag `key`, if the line has it.
    public func tag(_ key: String) -> String? {
        tags.first { $0.key == key }?.value
    }

    /// Parses one line without its line ending; nil when it holds no command.
    public static func parse(_ line: String) -> IRCMessage? {
        var rest = Substring(line)
        // "\r\n" is one Character in Swift, so the test is for any line break.
        while rest.last?.isNewline == true { rest.removeLast() }
        var tags: [(key: String, value: String)] = []
        if rest.first == "@" {
            let field = rest.dropFirst().prefix { $0 != " " }
            rest = rest.dropFirst(field.count + 1).drop { $0 == " " }
            for pair in field.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                tags.append((String(parts[0]), parts.count > 1 ? unescape(parts[1]) : ""))
            }
        }
        var source: String?
        if rest.first == ":" {
            let field = rest.dropFirst().prefix { $0 != " " }
            source = String(field)
            rest = rest.dropFirst(field.count + 1).drop { $0 == " " }
        }
        let command = rest.prefix { $0 != " " }
        guard !command.isEmpty else { return nil }
        rest = rest.dropFirst(command.count).drop { $0 == " " }
        var parameters: [String] = []
        while !rest.isEmpty {
            if rest.first == ":" {
                parameters.append(String(rest.dropFirst()))
                break
            }
            let parameter = rest.prefix { $0 != " " }
            parameters.append(String(parameter))
            rest = rest.dropFirst(parameter.count).drop { $0 == " " }
        }
        return IRCMessage(tags: tags, source: source, command.uppercased(), parameters)
    }

    /// The line as sent, without its CRLF. A line break inside a parameter (which IRC cannot
    /// carry) becomes a space, so no parameter can start a line of its own.
    public var line: String {
        var out = ""
        if !tags.isEmpty {
            out +=
                "@"
                + tags.map { $0.value.isEmpty ? $0.key : "\($0.key)=\(Self.escape($0.value))" }.joined(separator: ";")
            out += " "
        }
        if let source { out += ":\(source) " }
        out += command
        for (index, parameter) in parameters.enumerated() {
            let flat = parameter.replacing("\r\n", with: " ").replacing("\n", with: " ").replacing("\r", with: " ")
                .replacing("\0", with: "")
            let last = index == parameters.count - 1
            if last && (flat.isEmpty || flat.contains(" ") || flat.first == ":") {
                out += " :" + flat
            } else {
                out += " " + (flat.isEmpty ? "*" : flat.replacing(" ", with: "_"))
            }
        }
        return out
    }

    private static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case ";": out += "\\:"
            case " ": out += "\\s"
            case "\\": out += "\\\\"
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    private static func unescape(_ value: Substring) -> String {
        var out = ""
        var escaping = false
        for character in value {
            if escaping {
                switch character {
                case ":": out += ";"
                case "s": out += " "
                case "r": out += "\r"
                case "n": out += "\n"
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
