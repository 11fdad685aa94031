import CircleCore

/// How an event reads, written once for the chat screen, `history` and the scriptable mode.
public struct EventWording: Hashable, Sendable {
    /// What kind of line it is, which decides how it is drawn.
    public enum Tone: Hashable, Sendable {
        /// Someone spoke to the room.
        case speech
        /// Someone spoke privately (to the facilitators, or one member to another).
        case privateSpeech
        /// Joins, sessions, agreements: set apart from speech.
        case system
        /// A facilitator acted on a member or a message.
        case moderation
        /// For facilitators: someone needs attention now.
        case alert
        /// The site's crisis card.
        case card
    }

    public var tone: Tone
    /// Who spoke, for speech.
    public var speaker: AccountID?
    /// For private speech: to whom, e.g. "to the facilitators".
    public var privately: String?
    public var text: String

    /// The wording of `event`, naming people with `name` and times with `clock`.
    public static func of(
        _ event: Event, name: (AccountID?) -> String, clock: (Timestamp) -> String
    ) -> EventWording {
        let who = name(event.actor)
        func system(_ text: String) -> EventWording { EventWording(tone: .system, text: text) }
        func moderation(_ text: String) -> EventWording { EventWording(tone: .moderation, text: text) }
        func until(_ moment: Timestamp?) -> String { moment.map { "until " + clock($0) } ?? "until lifted" }
        switch event.body {
        case .message(let text, _):
            guard let to = recipient(of: event, name: name) else {
                return EventWording(tone: .speech, speaker: event.actor, text: text)
            }
            return EventWording(tone: .privateSpeech, speaker: event.actor, privately: to, text: text)
        case .roomCreated(let room, _):
            return system("\(who) created the room \"\(room)\"")
        case .inviteCreated(_, let uses, let expiresAt, let role):
            let people = uses == 1 ? "1 person" : "\(uses) people"
            let asRole = role == .participant ? "" : " as \(role.rawValue)"
            return system(
                "\(who) created an invite for \(people)\(asRole)" + (expiresAt.map { ", \(until($0))" } ?? ""))
        case .memberJoined(_, let member, let role, _):
            return system("\(member) joined as \(role.rawValue)")
        case .sessionOpened(let number):
            return system("\(who) opened session \(number)")
        case .sessionClosed(let number):
            return system("\(who) closed session \(number)")
        case .agreementsSet(let version, _):
            return system("\(who) set the group's agreements (version \(version))")
        case .agreementsAccepted(let version):
            return system("\(who) accepted the agreements (version \(version))")
        case .helpRequested(let note):
            return EventWording(tone: .alert, text: "\(who) privately asked for help" + (note.map { ": \($0)" } ?? ""))
        case .riskAlert(let message, let phrase):
            return EventWording(
                tone: .alert,
                text: "\(who)'s message #\(message) contains \"\(phrase)\"; they were shown the crisis card")
        case .crisisCard(let text):
            return EventWording(tone: .card, text: text)
        case .memberMuted(let member, let moment, let reason):
            return moderation("\(who) muted \(name(member)) \(until(moment)): \(reason)")
        case .memberUnmuted(let member):
            return moderation("\(who) unmuted \(name(member))")
        case .memberRoleChanged(let member, let role):
            return moderation("\(who) made \(name(member)) \(role.rawValue)")
        case .memberKicked(let member, let reason):
            return moderation("\(who) sent \(name(member)) out of the room (they may come back): \(reason)")
        case .memberBanned(let member, let moment, let reason):
            return moderation("\(who) banned \(name(member)) \(until(moment)): \(reason)")
        case .memberUnbanned(let member):
            return moderation("\(who) lifted the ban on \(name(member))")
        case .messageRemoved(let message, let author, let reason):
            return moderation("\(who) removed a message by \(name(author)) (#\(message)): \(reason)")
        case .roomLocked(let locked):
            return moderation(locked ? "\(who) locked the room: no one new may join" : "\(who) unlocked the room")
        case .topicSet(let text):
            return system(text.isEmpty ? "\(who) cleared the topic" : "\(who) set the topic: \(text)")
        case .floorModeSet(let mode, let seconds):
            switch mode {
            case .open: return moderation("\(who) opened the floor: anyone may speak")
            case .hands: return moderation("\(who) asked for raised hands: /hand, then wait to be given the floor")
            case .piece: return moderation("\(who) brought out the talking piece: only its holder speaks")
            case .slow: return moderation("\(who) turned on slow mode: one message per \(seconds ?? 0) s each")
            }
        case .handRaised:
            return system("\(who) raised a hand")
        case .handLowered(let member):
            return system(member == event.actor ? "\(who) lowered their hand" : "\(who) lowered \(name(member))'s hand")
        case .floorGiven(let member, let moment):
            guard let member else { return moderation("\(who) took the floor back") }
            return moderation("\(who) gave the floor to \(name(member))" + (moment.map { " until " + clock($0) } ?? ""))
        case .directMessagesSet(let allowed):
            return moderation(
                allowed
                    ? "\(who) allowed direct messages between members"
                    : "\(who) turned off direct messages between members")
        case .sideRoomOpened(let room, let member):
            return system("\(who) opened a side room with \(name(member)): /join \(room.rawValue)")
        case .sideRoomCreated(_, _, let member):
            return system("A side room for \(who) and \(member); what is said here stays between you")
        case .withheld:
            return moderation("(a message removed by a facilitator)")
        }
    }

    /// For a private message, to whom it went as its readers would say it.
    private static func recipient(of event: Event, name: (AccountID?) -> String) -> String? {
        switch event.audience {
        case .room: return nil
        case .facilitators: return "to the facilitators"
        case .member(let member): return "to \(name(member))"
        case .facilitatorsAnd(let member):
            return member == event.actor ? "to the facilitators" : "to \(name(member)) and the facilitators"
        case .members(let one, let other):
            return "to \(name(event.actor == one ? other : one))"
        }
    }

    /// One plain line: `Dana: text`, `Dana (to the facilitators): text`, or `* text` / `! text`.
    public func plain(name: (AccountID?) -> String) -> String {
        switch tone {
        case .speech: return "\(name(speaker)): \(text)"
        case .privateSpeech: return "\(name(speaker)) (\(privately ?? "privately")): \(text)"
        case .system, .moderation: return "* " + text
        case .alert: return "! " + text
        case .card: return "♥ " + text
        }
    }
}
