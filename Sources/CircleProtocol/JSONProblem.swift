import CircleCore

/// What JSONDecoder only calls "not valid JSON", said of the field it is in: a raw control
/// byte or a lone surrogate inside a string, or a number no request field can hold (every
/// number in a request is a whole number of 64 bits). Read only after a frame failed to
/// decode, so the common path never pays for it.
struct JSONProblem {
    /// The field, as a dotted path (`goals.0.rating`), and what is wrong with it.
    var field: String
    var problem: String
    /// The request's `id`, when the frame has a readable one, so the error can carry it.
    var id: Int64?

    var error: CircleError {
        CircleError(.badField, "Field '\(field)' \(problem).")
    }

    /// The first such problem in `bytes`, or nil when there is none (or the JSON is broken in
    /// some other way, which the decoder's own message covers).
    static func find(in bytes: [UInt8]) -> JSONProblem? {
        var scanner = Scanner(bytes: bytes)
        return scanner.run()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var path: [String] = []
        var found: JSONProblem?
        var id: Int64?
        /// How deep the value being read is nested. Capped, so a frame of `[[[[…` (which
        /// JSONDecoder refuses past 512 levels, sending it here) cannot exhaust the stack.
        var depth = 0
        static let maxDepth = 64

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func run() -> JSONProblem? {
            skipSpace()
            guard value() else { return found.map { with($0, id: id) } }
            return found.map { with($0, id: id) }
        }

        private func with(_ problem: JSONProblem, id: Int64?) -> JSONProblem {
            var problem = problem
            problem.id = problem.field == "id" ? nil : id
            return problem
        }

        private var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        private mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 }
        }

        /// Reads one value; false to stop (a problem found, or broken JSON).
        private mutating func value() -> Bool {
            guard let next = peek else { return false }
            switch next {
            case UInt8(ascii: "{"): return object()
            case UInt8(ascii: "["): return array()
            case UInt8(ascii: "\""): return string() != nil
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return false
            }
        }

        private mutating func literal(_ word: String) -> Bool {
            let word = Array(word.utf8)
            guard index + word.count <= bytes.count, Array(bytes[index..<index + word.count]) == word else {
                return false
            }
            index += word.count
            return true
        }

        private mutating func object() -> Bool {
            container(closedBy: UInt8(ascii: "}")) { scanner, _ in
                scanner.skipSpace()
                guard scanner.peek == UInt8(ascii: "\""), let key = scanner.string() else { return false }
                scanner.skipSpace()
                guard scanner.peek == UInt8(ascii: ":") else { return false }
                scanner.index += 1
                scanner.skipSpace()
                scanner.path.append(key)
                let start = scanner.index
                guard scanner.value() else { return false }
                if scanner.path == ["id"] {
                    scanner.id = Int64(String(decoding: scanner.bytes[start..<scanner.index], as: UTF8.self))
                }
                scanner.path.removeLast()
                return true
            }
        }

        private mutating func array() -> Bool {
            container(closedBy: UInt8(ascii: "]")) { scanner, position in
                scanner.skipSpace()
                scanner.path.append(String(position))
                guard scanner.value() else { return false }
                scanner.path.removeLast()
                return true
            }
        }

        /// An object or array: its members, each read by `member` (given its position), between
        /// commas, up to `closing`; nested no deeper than `maxDepth`.
        private mutating func container(
            closedBy closing: UInt8, member: (inout Scanner, Int) -> Bool
        ) -> Bool {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else { return false }
            index += 1
            skipSpace()
            if peek == closing {
                index += 1
                return true
            }
            var position = 0
            while true {
                guard member(&self, position) else { return false }
                position += 1
                skipSpace()
                switch peek {
                case UInt8(ascii: ","): index += 1
                case closing:
                    index += 1
                    return true
                default: return false
                }
            }
        }

        private mutating func problem(_ text: String) {
            found = JSONProblem(field: path.isEmpty ? "(key)" : path.joined(separator: "."), problem: text)
        }

        /// Reads a string; nil to stop. Only keys are decoded (as written, escapes and all:
        /// request keys have none).
        private mutating func string() -> String? {
            index += 1
            let start = index
            var pendingHigh = false
            while let byte = peek {
                switch byte {
                case UInt8(ascii: "\""):
                    if pendingHigh {
                        problem("holds half of a UTF-16 surrogate pair, which is not a character")
                        return nil
                    }
                    index += 1
                    return String(decoding: bytes[start..<index - 1], as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard index + 1 < bytes.count else { return nil }
                    if bytes[index + 1] == UInt8(ascii: "u") {
                        guard index + 6 <= bytes.count,
                            let unit = UInt16(String(decoding: bytes[index + 2..<index + 6], as: UTF8.self), radix: 16)
                        else { return nil }
                        let high = (0xD800...0xDBFF).contains(unit)
                        let low = (0xDC00...0xDFFF).contains(unit)
                        if (low && !pendingHigh) || (!low && pendingHigh) {
                            problem("holds half of a UTF-16 surrogate pair, which is not a character")
                            return nil
                        }
                        pendingHigh = high
                        index += 6
                    } else {
                        if pendingHigh {
                            problem("holds half of a UTF-16 surrogate pair, which is not a character")
                            return nil
                        }
                        index += 2
                    }
                case 0x00..<0x20:
                    problem(
                        "holds a raw control byte (0x\(byte < 0x10 ? "0" : "")\(String(byte, radix: 16, uppercase: true))); "
                            + "JSON strings carry those escaped, as \\u00XX")
                    return nil
                default:
                    if pendingHigh {
                        problem("holds half of a UTF-16 surrogate pair, which is not a character")
                        return nil
                    }
                    index += 1
                }
            }
            return nil
        }

        private mutating func number() -> Bool {
            let start = index
            while let byte = peek,
                byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            {
                index += 1
            }
            let token = String(decoding: bytes[start..<index], as: UTF8.self)
            if Int64(token) != nil { return true }
            guard let value = Double(token) else { return false }
            if value.rounded() != value {
                problem("must be a whole number; got \(token)")
                return false
            }
            if Swift.abs(value) >= 9.2e18 {
                problem("is too large a number; got \(token)")
                return false
            }
            return true
        }
    }
}
