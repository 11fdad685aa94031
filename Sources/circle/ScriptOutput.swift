import Foundation

/// Serialises everything the scriptable mode prints, so lines from events and replies never
/// interleave, and flushes each line at once so a pipe reader sees it as it happens.
actor ScriptOutput {
    func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
