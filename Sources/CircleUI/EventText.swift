import CircleCore
import CircleProtocol
import Foundation

/// How events read as plain text, one line each: shared by `history`, the scriptable mode and
/// the terminal UI.
public struct EventText: Sendable {
    /// Display names by account, learned from join replies and member events.
    public var names: [AccountID: String] = [:]
    /// Goals' wording, learned from goal events.
    public var goals: [GoalID: String] = [:]
    public var timeZone: TimeZone

    public init(members: [Member] = [], timeZone: TimeZone = .current) {
        self.timeZone = timeZone
        learn(members)
    }

    public mutating func learn(_ members: [Member]) {
        for member in members { names[member.id] = member.name }
    }

    public mutating func learn(_ event: Event) {
        if case .memberJoined(let member, let name, _, _) = event.body { names[member] = name }
        if case .roomCreated(_, let ownerName) = event.body, let actor = event.actor { names[actor] = ownerName }
        if case .sideRoomCreated(_, let member, let name) = event.body { names[member] = name }
        if case .goalSet(let goal) = event.body { goals[goal.id] = goal.text }
        if case .goalRevised(let id, let text, _, _, _, _) = event.body { goals[id] = text }
    }

    public func name(_ account: AccountID?) -> String {
        guard let account else { return "server" }
        return names[account] ?? account.rawValue
    }

    /// `r7k2… #12 14:03 Dana: text`, or `… * Sam joined` for what is not speech. Safe to print:
    /// controls are made visible, and the lines of a multi-line message after the first are
    /// indented under its author, so none of them can pass for another event.
    public func line(_ event: Event, showRoom: Bool = true) -> String {
        let prefix = TerminalText.safe((showRoom ? "\(event.room) " : "") + "#\(event.seq) \(clock(event.at)) ")
        let wording = EventWording.of(
            event, name: name, clock: clock, day: { format($0, "EEE d MMM yyyy") }, goal: { goals[$0] }
        ).plain(name: name)
        let lines = TerminalText.safeLines(wording).split(separator: "\n", omittingEmptySubsequences: false)
        let indent = "\n" + String(repeating: " ", count: CharacterWidth.of(prefix) + 2)
        return prefix + lines.joined(separator: indent)
    }

    public func line(_ presence: Presence) -> String {
        TerminalText.safe("\(presence.room) * \(presence.name) is \(presence.online ? "online" : "offline")")
    }

    func clock(_ timestamp: Timestamp) -> String {
        format(timestamp, "HH:mm")
    }

    private func format(_ timestamp: Timestamp, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: Date(timeIntervalSince1970: Double(timestamp.milliseconds) / 1000))
    }
}
