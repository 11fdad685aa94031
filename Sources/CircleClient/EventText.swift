import CircleCore
import CircleProtocol
import Foundation

/// How events read as plain text, one line each: shared by `history`, the scriptable mode and
/// the terminal UI.
public struct EventText: Sendable {
    /// Display names by account, learned from join replies and member events.
    public var names: [AccountID: String] = [:]
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
    }

    public func name(_ account: AccountID?) -> String {
        guard let account else { return "server" }
        return names[account] ?? account.rawValue
    }

    /// `r7k2… #12 14:03 Dana: text`, or `… * Sam joined` for what is not speech.
    public func line(_ event: Event, showRoom: Bool = true) -> String {
        let prefix = (showRoom ? "\(event.room) " : "") + "#\(event.seq) \(clock(event.at)) "
        let who = name(event.actor)
        switch event.body {
        case .message(let text, _):
            return prefix + "\(who): \(text)"
        case .roomCreated(let name, _):
            return prefix + "* \(who) created the room \"\(name)\""
        case .inviteCreated(_, let uses, let expiresAt):
            let until = expiresAt.map { " until \(date($0))" } ?? ""
            return prefix + "* \(who) created an invite for \(uses) \(uses == 1 ? "person" : "people")\(until)"
        case .memberJoined(_, let name, let role, _):
            return prefix + "* \(name) joined as \(role.rawValue)"
        case .sessionOpened(let number):
            return prefix + "* \(who) opened session \(number)"
        case .sessionClosed(let number):
            return prefix + "* \(who) closed session \(number)"
        case .agreementsSet(let version, _):
            return prefix + "* \(who) set the group's agreements (version \(version))"
        case .agreementsAccepted(let version):
            return prefix + "* \(who) accepted the agreements (version \(version))"
        case .helpRequested(let note):
            return prefix + "! \(who) privately asked for help" + (note.map { ": \($0)" } ?? "")
        case .riskAlert(let message, let phrase):
            return prefix + "! \(who)'s message #\(message) contains \"\(phrase)\""
        case .memberMuted(let member, let until, let reason):
            let span = until.map { " until \(clock($0))" } ?? " until lifted"
            return prefix + "* \(who) muted \(name(member))\(span): \(reason)"
        case .memberUnmuted(let member):
            return prefix + "* \(who) unmuted \(name(member))"
        case .crisisCard(let text):
            return prefix + "♥ " + text
        }
    }

    public func line(_ presence: Presence) -> String {
        "\(presence.room) * \(presence.name) is \(presence.online ? "online" : "offline")"
    }

    func clock(_ timestamp: Timestamp) -> String {
        format(timestamp, "HH:mm")
    }

    func date(_ timestamp: Timestamp) -> String {
        format(timestamp, "yyyy-MM-dd HH:mm")
    }

    private func format(_ timestamp: Timestamp, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: Date(timeIntervalSince1970: Double(timestamp.milliseconds) / 1000))
    }
}
