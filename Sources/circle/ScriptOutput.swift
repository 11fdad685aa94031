import CircleUI
import Foundation

/// Serialises everything the scriptable mode prints, so lines from events and replies never
/// interleave, and flushes each line at once so a pipe reader sees it as it happens. Callers
/// escape what they print (JSON is printed as it is); errors are escaped here, since they may
/// quote what someone typed.
actor ScriptOutput {
    func line(_ text: String) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
        } catch {
            // The reader went away (`circle script | head`): nobody is left to tell, so stop
            // the way other pipeline tools do, quietly, rather than crash with a trace.
            exit(0)
        }
    }

    func error(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data((TerminalText.safe(text) + "\n").utf8))
    }
}
