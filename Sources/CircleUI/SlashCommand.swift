import CircleCore

/// A line typed in the slash syntax shared by the scriptable mode and the terminal UI.
/// Text that does not start with `/` is something to say.
public enum SlashCommand: Hashable, Sendable {
    case join(RoomID, since: Int64?)
    case leave(RoomID?)
    case say(String)
    case open(RoomID?)
    case close(RoomID?)
    case history(limit: Int?)
    case rooms
    case createRoom(String)
    case invite(uses: Int?, expiresIn: Int64?, role: RoomRole?)
    case redeem(code: String, name: String)
    case agreements
    case accept
    case needHelp(String?)
    /// One write to the current room: moderation, the floor, private messages.
    case room(RoomAction)
    /// Reads a removed message as it was said (facilitators; audited).
    case original(seq: Int64)
    case side(name: String)
    case note(name: String, text: String)
    case notes(name: String)
    /// A member's goal card: yours, or (facilitators) someone's.
    case progress(name: String?)
    case overview
    /// Who has not had their turn yet in the running round.
    case stillToGo
    /// The members of the current room, numbered, with role and whether they are here.
    case who
    case journal(JournalCommand)
    case setAgreements(String)
    case ping
    case wait(seconds: Double)
    case help
    case quit

    /// One line each, for `/help`, with the operation that decides who may use it (nil: anyone).
    public static let helpEntries: [(line: String, operation: CommandName?)] =
        [
            ("/join ROOM [SINCE]        follow a room (resume after SINCE); in the UI, switch to it", .join),
            ("/leave [ROOM]             stop following a room", .leave),
            ("/say TEXT  (or just TEXT) speak in the current room", .say),
            ("/open [ROOM]              open a session", .sessionOpen),
            ("/close [ROOM]             close the session", .sessionClose),
            ("/history [LIMIT]          show earlier events of the current room", .history),
            ("/rooms                    list your rooms", .roomList),
            ("/who                      list the room's members, numbered (/mute 3 … works too)", .join),
            ("/room create NAME         create a room", .roomCreate),
            (
                "/invite [USES] [EXPIRES] [ROLE] create an invite code, e.g. /invite 8 7d, /invite 1 2d observer",
                .inviteCreate
            ),
            ("/redeem CODE NAME         join a room with an invite code", .redeem),
            ("/agreements               read the group's agreements", .join),
            ("/accept                   accept the current agreements", .agreementsAccept),
            ("/agreements set TEXT      replace the agreements (members accept again)", .agreementsSet),
            ("/needhelp [NOTE]          privately tell the facilitators you need help", .helpSignal),
            ("/dm facilitators TEXT     write privately to the facilitators", .dm),
            ("/dm NAME TEXT             write privately to one member (if the room allows it)", .dm),
            ("/hand [down]              raise (or lower) your hand", .handRaise),
            ("/give NAME [DURATION]     give the floor or pass the talking piece; /give - takes it back", .floorGive),
            ("/mute NAME DURATION|- WHY mute a member (e.g. /mute Sam 10m please pause; - until lifted)", .memberMute),
            ("/unmute NAME              lift a mute", .memberUnmute),
            ("/kick NAME WHY            send a member out (they may come back)", .memberKick),
            ("/ban NAME DURATION|- WHY  ban a member (e.g. /ban Sam 7d ...; - until lifted)", .memberBan),
            ("/unban NAME               lift a ban", .memberUnban),
            ("/role NAME ROLE           make a member co-facilitator, participant or observer", .memberRole),
            ("/remove SEQ WHY           remove message #SEQ (members see it as removed)", .messageRemove),
            ("/original SEQ             read a removed message (recorded in the audit trail)", .messageOriginal),
            ("/lock, /unlock            stop or allow new members joining", .roomLock),
            ("/topic [TEXT]             set (or clear) the topic", .roomTopic),
            ("/floor open|hands|piece|slow SECONDS  set how the floor works", .floorSet),
            ("/dms on|off               allow direct messages between members", .dmAllow),
            ("/side NAME                open a private side room with a member", .sideOpen),
            ("/note NAME TEXT           a private note about a member (facilitators only)", .noteAdd),
            ("/notes NAME               read your notes about a member (recorded in the audit trail)", .noteList),
        ] + trackingHelp + [
            ("/ping                     check the connection", .ping),
            ("/wait SECONDS             pause (scripts)", nil),
            ("/quit                     leave", nil),
        ]

    /// The help lines for someone of this account kind and role in the current room.
    public static func helpLines(kind: AccountKind?, role: RoomRole?) -> [String] {
        helpEntries.filter { entry in
            guard let operation = entry.operation else { return true }
            return (try? CommandTable.authorize(operation, account: kind, roomRole: role).get()) != nil
        }.map(\.line)
    }

    /// Every command word, for completion.
    public static let verbs = [
        "/join", "/leave", "/say", "/me", "/open", "/close", "/history", "/rooms", "/who", "/room", "/invite",
        "/redeem", "/agreements", "/accept", "/needhelp", "/mute", "/unmute", "/kick", "/ban", "/unban", "/role",
        "/remove", "/original", "/lock", "/unlock", "/topic", "/floor", "/hand", "/give", "/dms", "/dm", "/side",
        "/note", "/notes", "/goal", "/goals", "/revise", "/shared", "/round", "/checkin", "/pass", "/skip",
        "/extend", "/endround", "/attendance", "/overview", "/settings", "/journal", "/ping", "/help", "/quit",
    ]

    /// Parses one line; the error says what was wrong in words a person understands.
    public static func parse(_ line: String) -> Result<SlashCommand, UsageError> {
        guard line.hasPrefix("/") else { return .success(.say(line)) }
        let words = Self.words(line.dropFirst())
        guard let verb = words.first?.lowercased() else { return usage("Type a command after '/', or /help.") }
        var arguments = Array(words.dropFirst())
        if let position = namePosition(verb, arguments), arguments.indices.contains(position) {
            guard let name = unquoted(arguments[position]) else {
                return usage(
                    "The quote that opens \(arguments[position]) is never closed; write a name with spaces as \"Max 🌱\"."
                )
            }
            arguments[position] = name
        }
        let rest = arguments.joined(separator: " ")
        switch verb {
        case "join":
            guard (1...2).contains(arguments.count) else { return usage("Usage: /join ROOM [SINCE]") }
            var since: Int64?
            if arguments.count == 2 {
                guard let value = Int64(arguments[1]), value >= 0 else {
                    return usage("SINCE must be a sequence number, 0 or more.")
                }
                since = value
            }
            return .success(.join(RoomID(arguments[0]), since: since))
        case "leave": return optionalRoom(arguments, "/leave [ROOM]").map(SlashCommand.leave)
        case "say", "me":
            guard !rest.isEmpty else { return usage("Usage: /say TEXT") }
            return .success(.say(verb == "me" ? "* " + rest : rest))
        case "open": return optionalRoom(arguments, "/open [ROOM]").map(SlashCommand.open)
        case "close": return optionalRoom(arguments, "/close [ROOM]").map(SlashCommand.close)
        case "history":
            guard arguments.count <= 1 else { return usage("Usage: /history [LIMIT]") }
            guard let text = arguments.first else { return .success(.history(limit: nil)) }
            guard let limit = Int(text), limit > 0 else { return usage("LIMIT must be a whole number above 0.") }
            return .success(.history(limit: limit))
        case "rooms": return .success(.rooms)
        case "room":
            guard arguments.first == "create", arguments.count >= 2 else { return usage("Usage: /room create NAME") }
            return .success(.createRoom(arguments.dropFirst().joined(separator: " ")))
        case "invite":
            var arguments = arguments
            var role: RoomRole?
            if let last = arguments.last, let named = RoomRole(rawValue: last.lowercased()) {
                role = named
                arguments.removeLast()
            }
            guard arguments.count <= 2 else { return usage("Usage: /invite [USES] [EXPIRES] [ROLE]") }
            var uses: Int?
            var expires: Int64?
            if let text = arguments.first {
                guard let value = Int(text), value > 0 else { return usage("USES must be a whole number above 0.") }
                uses = value
            }
            if arguments.count == 2 {
                guard let seconds = DurationText.seconds(arguments[1]) else {
                    return usage("EXPIRES must be a duration such as 90m, 12h or 7d.")
                }
                expires = seconds
            }
            return .success(.invite(uses: uses, expiresIn: expires, role: role))
        case "redeem":
            guard arguments.count >= 2 else { return usage("Usage: /redeem CODE NAME") }
            let name = arguments.dropFirst().joined(separator: " ")
            return .success(.redeem(code: arguments[0], name: unquoted(name) ?? name))
        case "agreements":
            guard arguments.first == "set" else {
                return arguments.isEmpty ? .success(.agreements) : usage("Usage: /agreements [set TEXT]")
            }
            let text = arguments.dropFirst().joined(separator: " ")
            guard !text.isEmpty else { return usage("Usage: /agreements set TEXT") }
            return .success(.setAgreements(text))
        case "accept": return .success(.accept)
        case "mute", "ban":
            guard arguments.count >= 3 else { return usage("Usage: /\(verb) NAME DURATION|- REASON") }
            var seconds: Int64?
            if arguments[1] != "-" {
                guard let value = DurationText.seconds(arguments[1]) else {
                    return usage("DURATION must be like 10m, 1h or 7d, or - for until lifted.")
                }
                seconds = value
            }
            let reason = arguments.dropFirst(2).joined(separator: " ")
            return .success(
                .room(
                    verb == "mute"
                        ? .mute(name: arguments[0], seconds: seconds, reason: reason)
                        : .ban(name: arguments[0], seconds: seconds, reason: reason)))
        case "unmute", "unban", "side", "notes":
            guard arguments.count == 1 else { return usage("Usage: /\(verb) NAME") }
            let name = arguments[0]
            switch verb {
            case "unmute": return .success(.room(.unmute(name: name)))
            case "unban": return .success(.room(.unban(name: name)))
            case "side": return .success(.side(name: name))
            default: return .success(.notes(name: name))
            }
        case "kick", "note":
            guard arguments.count >= 2 else {
                return usage("Usage: /\(verb) NAME \(verb == "kick" ? "REASON" : "TEXT")")
            }
            let text = arguments.dropFirst().joined(separator: " ")
            return .success(
                verb == "kick" ? .room(.kick(name: arguments[0], reason: text)) : .note(name: arguments[0], text: text))
        case "role":
            guard arguments.count == 2, let role = RoomRole(rawValue: arguments[1].lowercased()) else {
                return usage("Usage: /role NAME co-facilitator|participant|observer")
            }
            return .success(.room(.role(name: arguments[0], role: role)))
        case "remove", "original":
            guard let first = arguments.first, let seq = Int64(first.trimmingPrefix("#")), seq > 0 else {
                return usage(verb == "remove" ? "Usage: /remove SEQ REASON" : "Usage: /original SEQ")
            }
            guard verb == "remove" else { return .success(.original(seq: seq)) }
            guard arguments.count >= 2 else { return usage("Usage: /remove SEQ REASON (the author is told why)") }
            return .success(.room(.remove(seq: seq, reason: arguments.dropFirst().joined(separator: " "))))
        case "lock": return .success(.room(.lock))
        case "unlock": return .success(.room(.unlock))
        case "topic": return .success(.room(.topic(rest)))
        case "floor":
            guard let first = arguments.first, let mode = FloorMode(rawValue: first.lowercased()) else {
                return usage("Usage: /floor open|hands|piece|slow SECONDS")
            }
            guard mode == .slow else {
                return arguments.count == 1
                    ? .success(.room(.floor(mode, seconds: nil))) : usage("Usage: /floor \(first)")
            }
            guard arguments.count == 2, let seconds = Int(arguments[1]), seconds > 0 else {
                return usage("Usage: /floor slow SECONDS (the gap between one member's messages)")
            }
            return .success(.room(.floor(.slow, seconds: seconds)))
        case "hand":
            switch arguments.first?.lowercased() {
            case nil, "up": return .success(.room(.raiseHand))
            case "down": return .success(.room(.lowerHand(name: arguments.count > 1 ? arguments[1] : nil)))
            default: return usage("Usage: /hand [down [NAME]]")
            }
        case "give":
            guard (1...2).contains(arguments.count) else { return usage("Usage: /give NAME [DURATION], or /give -") }
            if arguments[0] == "-" { return .success(.room(.give(name: nil, seconds: nil))) }
            var seconds: Int64?
            if arguments.count == 2 {
                guard let value = DurationText.seconds(arguments[1]) else {
                    return usage("DURATION must be like 90s, 5m or 1h.")
                }
                seconds = value
            }
            return .success(.room(.give(name: arguments[0], seconds: seconds)))
        case "dms":
            switch arguments.first?.lowercased() {
            case "on": return .success(.room(.directMessages(true)))
            case "off": return .success(.room(.directMessages(false)))
            default: return usage("Usage: /dms on|off")
            }
        case "dm":
            guard arguments.count >= 2 else { return usage("Usage: /dm facilitators|NAME TEXT") }
            let to = ["facilitators", "facilitator", "fac"].contains(arguments[0].lowercased()) ? nil : arguments[0]
            return .success(.room(.privately(to: to, text: arguments.dropFirst().joined(separator: " "))))
        case "needhelp", "help!": return .success(.needHelp(rest.isEmpty ? nil : rest))
        case "ping": return .success(.ping)
        case "wait":
            guard arguments.count == 1, let seconds = Double(arguments[0]), seconds >= 0, seconds <= 3600 else {
                return usage("Usage: /wait SECONDS (0 to 3600)")
            }
            return .success(.wait(seconds: seconds))
        case "help": return .success(.help)
        case "who", "names": return arguments.isEmpty ? .success(.who) : usage("Usage: /who")
        case "quit", "exit": return .success(.quit)
        default:
            return parseTracking(verb, arguments) ?? usage("There is no command /\(verb); /help lists them.")
        }
    }

    /// Splits on spaces, except inside double quotes, so that a name with spaces is one word.
    /// A word keeps its quotes (free text is taken as typed); `unquoted` takes them off a name.
    /// A quote that is never closed is an ordinary character.
    static func words(_ text: Substring) -> [String] {
        var words: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index] != " " else {
                index = text.index(after: index)
                continue
            }
            var end = text[index...].firstIndex(of: " ") ?? text.endIndex
            if text[index] == "\"", let close = text[text.index(after: index)...].firstIndex(of: "\"") {
                end = text.index(after: close)
            }
            words.append(String(text[index..<end]))
            index = end
        }
        return words
    }

    /// A name as typed, without its quotes; nil when a quote was opened and not closed.
    static func unquoted(_ word: String) -> String? {
        guard word.hasPrefix("\"") else { return word }
        guard word.count >= 2, word.hasSuffix("\"") else { return nil }
        return String(word.dropFirst().dropLast())
    }

    /// Which argument of `verb` names a member, if any.
    private static func namePosition(_ verb: String, _ arguments: [String]) -> Int? {
        switch verb {
        case "mute", "ban", "unmute", "unban", "side", "notes", "kick", "note", "role", "give", "dm", "attendance",
            "goals", "progress":
            return 0
        case "hand", "journal":
            return ["down", "shared"].contains(arguments.first?.lowercased()) ? 1 : nil
        default:
            return nil
        }
    }

    private static func optionalRoom(_ arguments: [String], _ form: String) -> Result<RoomID?, UsageError> {
        guard arguments.count <= 1 else { return .failure(UsageError("Usage: \(form)")) }
        return .success(arguments.first.map(RoomID.init))
    }

    private static func usage(_ message: String) -> Result<SlashCommand, UsageError> {
        .failure(UsageError(message))
    }
}
