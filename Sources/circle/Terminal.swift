import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The controlling terminal in full-screen mode: raw input, the alternate screen, bracketed
/// paste. `restore()` gives it back exactly as it was; it is safe to call more than once.
final class Terminal: @unchecked Sendable {
    // Touched only from the main task, and from restore(), which is idempotent.
    private var original = termios()
    private var active = false

    /// Whether stdin and stdout are a terminal at all.
    static var isInteractive: Bool { isatty(0) == 1 && isatty(1) == 1 }

    func enter() throws {
        guard tcgetattr(0, &original) == 0 else { throw TerminalError.notATerminal }
        var raw = original
        // No echo, no line editing, no signals from keys (Ctrl-C arrives as a key and quits
        // cleanly), no CR/NL translation; reads return as soon as a byte is there.
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | BRKINT | INPCK | ISTRIP)
        raw.c_cflag |= tcflag_t(CS8)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(0, TCSAFLUSH, &raw) == 0 else { throw TerminalError.notATerminal }
        active = true
        // Alternate screen, bracketed paste, clear.
        write("\u{1B}[?1049h\u{1B}[?2004h\u{1B}[2J\u{1B}[H")
    }

    func restore() {
        guard active else { return }
        active = false
        write("\u{1B}[0m\u{1B}[?2004l\u{1B}[?25h\u{1B}[?1049l")
        tcsetattr(0, TCSAFLUSH, &original)
    }

    var size: (width: Int, height: Int) {
        var window = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 {
            return (Int(window.ws_col), Int(window.ws_row))
        }
        return (80, 24)
    }

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { Glibc.write(1, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    func bell() {
        write("\u{07}")
    }

    enum TerminalError: Error {
        case notATerminal
    }
}
