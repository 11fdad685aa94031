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
        /// A round's steps: whose turn, time, the summary.
        case round
        /// A member's check-in.
        case checkIn
    }

    public var tone: Tone
    /// Who spoke, for speech.
    public var speaker: AccountID?
    /// For private speech: to whom, e.g. "to the facilitators".
    public var privately: String?
    public var text: String

    /// The wording of `event`, naming people with `name`, times with `clock` and days with
    /// `day` (for moments that may be days away, such as an invite's expiry).
    public static func of(
        _ event: Event, name: (AccountID?) -> String, clock: (Timestamp) -> String,
        day: (Timestamp) -> String = { _ in "" }, goal: (GoalID) -> String? = { _ in nil }
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
                "\(who) created an invite for \(people)\(asRole)"
                    + (expiresAt.map { ", valid until \(day($0)) \(clock($0))" } ?? ""))
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
            // With no actor, the server's clock ended a timed ban.
            guard event.actor != nil else { return moderation("\(name(member))'s ban has ended; they may come back") }
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
        default:
            return tracking(event, who: who, name: name, clock: clock, goal: goal)
        }
    }

    /// Goals, rounds, check-ins and attendance.
    private static func tracking(
        _ event: Event, who: String, name: (AccountID?) -> String, clock: (Timestamp) -> String,
        goal: (GoalID) -> String?
    ) -> EventWording {
        func system(_ text: String) -> EventWording { EventWording(tone: .system, text: text) }
        func round(_ text: String) -> EventWording { EventWording(tone: .round, text: text) }
        func goalName(_ id: GoalID) -> String { goal(id).map { "\"\($0)\"" } ?? id.rawValue }
        switch event.body {
        case .goalSet(let set):
            let target = set.target.map { ", by \($0)" } ?? ""
            let privately = set.visibility == .facilitators ? ", for the facilitators only" : ""
            return system(
                "\(name(set.member)) set a \(set.horizon.rawValue)-term goal (\(set.id.rawValue)): "
                    + "\(set.text)\(target)\(privately)")
        case .goalRevised(let id, let text, _, _, _, let reason):
            return system("\(who) revised goal \(id.rawValue) to \"\(text)\" (\(reason))")
        case .goalStatusSet(let id, let status, let reason):
            return system("\(who) marked \(goalName(id)) \(status.rawValue)" + (reason.map { ": \($0)" } ?? ""))
        case .sharedGoalAdded(let id, let text):
            return system("\(who) added a shared goal (\(id.rawValue)): \(text)")
        case .sharedGoalProposed(let id, let text):
            return system("\(who) proposed a shared goal (\(id.rawValue)): \(text)")
        case .sharedGoalDecided(let id, let accepted, let reason):
            return system(
                "\(who) \(accepted ? "accepted" : "declined") shared goal \(id.rawValue)"
                    + (reason.map { ": \($0)" } ?? ""))
        case .settingsSet(let maxGoals, let crossTalk):
            return system(
                "\(who) set at most \(maxGoals) active goals each; during rounds cross-talk is \(crossTalk.rawValue)")
        case .roundStarted(let number, let kind, let prompt, let queue, let seconds, let instrument):
            let timing = seconds.map { ", \($0 / 60 > 0 ? "\($0 / 60) min" : "\($0) s") a turn" } ?? ""
            let asks = instrument.map { ", with the \($0.uppercased())" } ?? ""
            return round(
                "\(who) started \(kind.rawValue) round \(number)\(timing)\(asks): \(prompt) "
                    + "Order: \(queue.map { name($0) }.joined(separator: ", ")).")
        case .turnBegan(let member, let endsAt):
            return round("It is \(name(member))'s turn" + (endsAt.map { " (until \(clock($0)))" } ?? ""))
        case .turnWarned(let member):
            return round("\(name(member))'s time is nearly up")
        case .turnExtended(let member, let endsAt):
            return round("\(who) gave \(name(member)) until \(clock(endsAt))")
        case .turnEnded(let member, let outcome):
            let what: String
            switch outcome {
            case .checkedIn: what = "checked in"
            case .passed: what = "passed"
            case .timedOut: what = "ran out of time"
            case .skipped: what = "was skipped and comes back at the end"
            case .away: what = "is away and comes back at the end"
            case .absent: what = "is absent"
            case .notReached: what = "was not reached"
            }
            return round("\(name(member)) \(what)")
        case .checkInRecorded(let member, let checkIn), .checkInPrivate(let member, let checkIn):
            var parts = checkIn.ratings.map { rating in
                "\(goalName(rating.goal)) \(rating.progress)/10"
                    + (rating.gas.map { " (GAS \($0 > 0 ? "+" : "")\($0))" } ?? "")
            }
            if let instrument = checkIn.instrument, let score = checkIn.score {
                parts.append("\(instrument.uppercased()) \(RoomNumber.text(score))")
            }
            if let kept = checkIn.kept { parts.append("last commitment: \(kept == .not ? "not kept" : kept.rawValue)") }
            if let commitment = checkIn.commitment { parts.append("next: \(commitment)") }
            if let note = checkIn.note { parts.append(note) }
            let privately = event.audience == .room ? "" : " (for the facilitators)"
            return EventWording(
                tone: .checkIn, speaker: member,
                text: "check-in\(privately): " + (parts.isEmpty ? "no ratings" : parts.joined(separator: "; ")))
        case .instrumentAlert(let member, let instrument, let items):
            let list = items.map(String.init).joined(separator: ", ")
            return EventWording(
                tone: .alert,
                text:
                    "\(name(member)) answered \(instrument.uppercased()) item \(list) above 0: follow up with them privately"
            )
        case .roundEnded(let number, let summary, let early):
            var groups: [(Round.Outcome, [String])] = []
            for line in summary {
                let label = name(line.member) + (line.change.map { " " + RoomNumber.signed($0) } ?? "")
                if let index = groups.firstIndex(where: { $0.0 == line.outcome }) {
                    groups[index].1.append(label)
                } else {
                    groups.append((line.outcome, [label]))
                }
            }
            let parts = groups.map { "\($0.0.rawValue): \($0.1.joined(separator: ", "))" }
            return round("Round \(number) \(early ? "closed early" : "is over") — " + parts.joined(separator: "; "))
        case .attendanceSet(let member, let session, let status):
            return system("\(name(member)) is \(status.rawValue) for session \(session)")
        default:
            return system(event.body.kind)
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
        case .round: return "○ " + text
        case .checkIn: return "\(name(speaker)) \(text)"
        }
    }
}
