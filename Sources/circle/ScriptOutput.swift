import CircleUI
import Foundation

/// Serialises everything the scriptable mode prints, so lines from events and replies never
/// interleave, and flushes each line at once so a pipe reader sees it as it happens. Callers
/// escape what they print (JSON is printed as it is); errors are escaped here, since they may
/// quote what someone typed.
actor ScriptOutput {
    func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    func error(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.safe(text) + "\n").utf8))
    }
}
