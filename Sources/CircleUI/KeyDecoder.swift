/// Turns the bytes a terminal sends into keys: UTF-8 text (even when a character is split
/// across reads), escape sequences from xterm, tmux and screen, and bracketed pastes.
public struct KeyDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var pasting: [UInt8]?

    static let pasteStart: [UInt8] = Array("\u{1B}[200~".utf8)
    static let pasteEnd: [UInt8] = Array("\u{1B}[201~".utf8)

    public init() {}

    /// Decodes what arrived; bytes of an unfinished sequence wait for the next call.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Key] {
        buffer.append(contentsOf: bytes)
        var keys: [Key] = []
        while !buffer.isEmpty {
            if var paste = pasting {
                if let end = buffer.firstRange(of: Self.pasteEnd) {
                    paste += buffer[..<end.lowerBound]
                    buffer.removeSubrange(..<end.upperBound)
                    pasting = nil
                    let text = String(decoding: paste, as: UTF8.self).replacingCRLF()
                    keys.append(.paste(text))
                    continue
                }
                // Keep a possible partial end marker in the buffer.
                let keep = min(buffer.count, Self.pasteEnd.count - 1)
                paste += buffer[..<(buffer.count - keep)]
                buffer.removeFirst(buffer.count - keep)
                pasting = paste
                return keys
            }
            guard let (key, length) = decodeOne() else { break }
            buffer.removeFirst(length)
            if let key { keys.append(key) }
        }
        return keys
    }

    /// A lone ESC is only known to be the Escape key once no more bytes follow it.
    public mutating func flushEscape() -> [Key] {
        guard buffer == [0x1B] else { return [] }
        buffer.removeAll()
        return [.escape]
    }

    /// One key from the front of the buffer and its length, or nil if more bytes are needed.
    private mutating func decodeOne() -> (Key?, Int)? {
        let byte = buffer[0]
        switch byte {
        case 0x1B: return decodeEscape()
        case 0x0D, 0x0A: return (.enter, 1)
        case 0x09: return (.tab, 1)
        case 0x7F, 0x08: return (.backspace, 1)
        case 0x01...0x1A: return (.control(Character(Unicode.Scalar(byte + 0x60))), 1)
        case 0x00, 0x1C...0x1F: return (nil, 1)
        default: return decodeText()
        }
    }

    private mutating func decodeText() -> (Key?, Int)? {
        // Take a run of printable text, stopping before a control byte or an incomplete
        // UTF-8 sequence at the end.
        var end = 0
        while end < buffer.count {
            let byte = buffer[end]
            if byte < 0x20 || byte == 0x7F { break }
            let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            if end + length > buffer.count { break }
            end += length
        }
        guard end > 0 else { return buffer.count < 4 ? nil : (nil, 1) }
        return (.text(String(decoding: buffer[..<end], as: UTF8.self)), end)
    }

    private mutating func decodeEscape() -> (Key?, Int)? {
        guard buffer.count >= 2 else { return nil }
        if buffer.starts(with: Self.pasteStart) {
            pasting = []
            return (nil, Self.pasteStart.count)
        }
        switch buffer[1] {
        case UInt8(ascii: "["), UInt8(ascii: "O"):
            // CSI or SS3: parameters, then a final byte in 0x40...0x7E.
            var index = 2
            while index < buffer.count,
                !(0x40...0x7E).contains(buffer[index])
                    || (index == 2 && buffer[1] == UInt8(ascii: "[") && buffer[index] == UInt8(ascii: "["))
            {
                index += 1
            }
            guard index < buffer.count else { return buffer.count > 16 ? (nil, buffer.count) : nil }
            let parameters = String(decoding: buffer[2..<index], as: UTF8.self)
            return (Self.csi(parameters, final: buffer[index]), index + 1)
        case UInt8(ascii: "b"): return (.wordLeft, 2)
        case UInt8(ascii: "f"): return (.wordRight, 2)
        case 0x7F: return (.control("w"), 2)
        default: return (.escape, 1)
        }
    }

    static func csi(_ parameters: String, final: UInt8) -> Key? {
        let modifier = parameters.split(separator: ";").dropFirst().first
        let withControl = modifier == "5" || modifier == "3"
        switch final {
        case UInt8(ascii: "A"): return .up
        case UInt8(ascii: "B"): return .down
        case UInt8(ascii: "C"): return withControl ? .wordRight : .right
        case UInt8(ascii: "D"): return withControl ? .wordLeft : .left
        case UInt8(ascii: "H"): return .home
        case UInt8(ascii: "F"): return .end
        case UInt8(ascii: "~"):
            switch parameters.split(separator: ";").first {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            case "5": return .pageUp
            case "6": return .pageDown
            default: return nil
            }
        default: return nil
        }
    }
}

extension String {
    func replacingCRLF() -> String {
        var result = ""
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                result.append("\n")
                previousCR = true
                continue
            }
            if scalar == "\n" && previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}
