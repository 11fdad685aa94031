import CircleCore
import CircleProtocol
import CircleUI
import Foundation

/// The IRC protocol's way in: registration and capability negotiation are answered here, and
/// everything a person does in a room becomes the same `Request` Circle's own client sends,
/// run by the same handlers under the same role table. Replies come back through the
/// session (`IRCSession`), which writes them as IRC lines.
struct IRCFrontEnd: Sendable {
    let connection: Connection
    let session: IRCSession

    /// The capabilities offered; the rest of IRCv3 is not spoken yet.
    static let capabilities = ["batch", "draft/chathistory", "echo-message", "message-tags", "server-time"]
    /// The most events one CHATHISTORY page holds.
    static let historyLimit = 100

    func handle(_ message: IRCMessage) async {
        connection.noteInbound()
        let registered = session.state.withLock { $0.registered }
        switch message.command {
        case "CAP": await capability(message)
        case "PASS": session.state.withLock { $0.password = message.parameters.first }
        case "NICK":
            guard let nick = message.parameters.first else { return reply("431", "No nickname given") }
            if registered {
                // The nick is the member's name in Circle; a new one would hide who speaks.
                return reply("435", nick, "Your nick is your name in Circle and cannot be changed here")
            }
            session.state.withLock { $0.requestedNick = nick }
            await registerIfReady()
        case "USER":
            session.state.withLock { $0.user = message.parameters.first ?? "" }
            await registerIfReady()
        case "PING": session.say([IRCMessage(source: IRCNames.server, "PONG", [IRCNames.server] + message.parameters)])
        case "PONG": break
        case "QUIT":
            connection.closeAfter(.bye(CircleError(.shuttingDown, message.parameters.first ?? "Quit")))
        case _ where !registered:
            reply("451", "Register first: PASS your-circle-token, NICK and USER")
        case "JOIN":
            for channel in (message.parameters.first ?? "").split(separator: ",").map(String.init) {
                guard let room = IRCNames.room(channel) else {
                    reply("403", channel, "No such channel: a room's channel is # and its id (/list)")
                    continue
                }
                await run(.join(.init(room: room)), for: .join(channel: channel))
            }
        case "PART":
            for channel in (message.parameters.first ?? "").split(separator: ",").map(String.init) {
                guard let room = IRCNames.room(channel) else { continue }
                await run(.leave(.init(room: room)), for: .leave(channel: channel))
            }
        case "PRIVMSG", "NOTICE":
            guard message.parameters.count >= 2 else { return reply("412", "No text to send") }
            await privateMessage(to: message.parameters[0], message.parameters[1])
        case "NAMES":
            let channel = message.parameters.first ?? ""
            session.say(session.state.withLock { session.names(of: channel, in: &$0) })
        case "TOPIC":
            let channel = message.parameters.first ?? ""
            guard message.parameters.count == 1 else {
                guard let room = IRCNames.room(channel) else { return reply("403", channel, "No such channel") }
                return await run(
                    .roomTopic(.init(room: room, text: message.parameters[1])), for: .topic(channel: channel))
            }
            let topic = session.state.withLock { $0.channels[channel].map(session.topic) }
            guard let topic else { return reply("442", channel, "You're not on that channel") }
            reply("332", channel, topic)
        case "LIST": await run(.roomList, for: .list)
        case "CHATHISTORY": await chatHistory(message.parameters)
        case "MODE": await mode(message.parameters)
        case "KICK":
            guard message.parameters.count >= 2, let room = IRCNames.room(message.parameters[0]) else {
                return reply("461", "KICK", "Usage: KICK #channel nick :reason")
            }
            let channel = message.parameters[0]
            guard let member = session.state.withLock({ $0.account(nick: message.parameters[1]) }) else {
                return reply("401", message.parameters[1], "No such nick in Circle")
            }
            let reason = message.parameters.count > 2 ? message.parameters[2] : ""
            await run(
                .memberKick(.init(room: room, member: member, reason: reason)), for: .moderation(channel: channel))
        case "INVITE":
            // Circle invites by a code that the person redeems, not by nick: the code is made
            // here and handed to the facilitator to pass on.
            guard message.parameters.count >= 2, let room = IRCNames.room(message.parameters[1]) else {
                return reply("461", "INVITE", "Usage: INVITE nick #channel")
            }
            await run(.inviteCreate(.init(room: room, uses: 1)), for: .invite(channel: message.parameters[1]))
        case "WHO":
            reply("315", message.parameters.first ?? "*", "End of /WHO list")
        default:
            reply("421", message.command, "Unknown command")
        }
    }

    /// IRCv3 CHATHISTORY over Circle's `history`: `LATEST`, `BEFORE` and `AFTER`, by `msgid`
    /// (a room's msgid is its log position, so `AFTER` the last one seen resumes with no gap
    /// and no repeat). Times as references, `AROUND`, `BETWEEN` and `TARGETS` are refused.
    private func chatHistory(_ parameters: [String]) async {
        func fail(_ code: String, _ text: String) {
            session.say([
                IRCMessage(
                    source: IRCNames.server, "FAIL", ["CHATHISTORY", code] + parameters.prefix(2) + [text])
            ])
        }
        guard parameters.count >= 4, let room = IRCNames.room(parameters[1]) else {
            return fail("INVALID_PARAMS", "Usage: CHATHISTORY LATEST|BEFORE|AFTER #channel msgid=…|* LIMIT")
        }
        guard let limit = Int(parameters[3]), limit > 0 else {
            return fail("INVALID_PARAMS", "The limit must be a whole number above 0.")
        }
        let reference = parameters[2]
        var seq: Int64?
        if reference != "*" {
            guard reference.hasPrefix("msgid="), let dash = reference.lastIndex(of: "-"),
                let number = Int64(reference[reference.index(after: dash)...]),
                reference.dropFirst(6).prefix(upTo: dash) == room.rawValue
            else {
                return fail("INVALID_MSGREFTYPE", "Give a msgid of this channel (msgid=…), or * for the latest.")
            }
            seq = number
        }
        let page = min(limit, Self.historyLimit)
        let body: Request.History
        switch parameters[0].uppercased() {
        case "LATEST": body = .init(room: room, after: seq, limit: page)
        case "BEFORE" where seq != nil: body = .init(room: room, before: seq, limit: page)
        case "AFTER" where seq != nil: body = .init(room: room, after: seq, limit: page)
        default:
            return fail("INVALID_PARAMS", "LATEST, BEFORE and AFTER are answered here, BEFORE and AFTER with a msgid.")
        }
        await run(.history(body), for: .chathistory(channel: parameters[1]))
    }

    /// `MODE #channel` shows the room's modes; `+m` and `-m` set the floor to raised hands or
    /// open, which is what moderation means in a Circle room.
    private func mode(_ parameters: [String]) async {
        let target = parameters.first ?? ""
        guard target.hasPrefix("#"), let room = IRCNames.room(target) else { return reply("221", "+i") }
        guard parameters.count > 1 else {
            let moderated = session.state.withLock { $0.channels[target]?.view.floor.mode != .open }
            return reply("324", target, moderated ? "+mnt" : "+nt")
        }
        switch parameters[1] {
        case "+m": await run(.floorSet(.init(room: room, mode: .hands)), for: .moderation(channel: target))
        case "-m": await run(.floorSet(.init(room: room, mode: .open)), for: .moderation(channel: target))
        default: reply("472", parameters[1], "Only +m and -m (the floor by raised hands, or open) are modes here")
        }
    }

    private func capability(_ message: IRCMessage) async {
        let sub = message.parameters.first?.uppercased() ?? ""
        switch sub {
        case "LS":
            session.state.withLock { $0.negotiating = true }
            session.say([
                IRCMessage(source: IRCNames.server, "CAP", ["*", "LS", Self.capabilities.joined(separator: " ")])
            ])
        case "LIST":
            let enabled = session.state.withLock { $0.capabilities.sorted() }
            session.say([IRCMessage(source: IRCNames.server, "CAP", ["*", "LIST", enabled.joined(separator: " ")])])
        case "REQ":
            let asked = (message.parameters.dropFirst().first ?? "").split(separator: " ").map(String.init)
            let known = asked.allSatisfy { Self.capabilities.contains($0.hasPrefix("-") ? String($0.dropFirst()) : $0) }
            session.state.withLock { state in
                state.negotiating = !state.registered
                guard known else { return }
                for cap in asked {
                    if cap.hasPrefix("-") {
                        state.capabilities.remove(String(cap.dropFirst()))
                    } else {
                        state.capabilities.insert(cap)
                    }
                }
            }
            session.say([
                IRCMessage(source: IRCNames.server, "CAP", ["*", known ? "ACK" : "NAK", asked.joined(separator: " ")])
            ])
        case "END":
            session.state.withLock { $0.negotiating = false }
            // In line, not in a task: the lines after CAP END run once registration has.
            await registerIfReady()
        default:
            reply("410", sub, "Invalid CAP command")
        }
    }

    /// Signs in once NICK and USER have come and negotiation is over: the token is the
    /// server password, checked by the same `hello` as Circle's own client.
    private func registerIfReady() async {
        let token = session.state.withLock { state -> String?? in
            guard !state.helloSent, !state.negotiating, let nick = state.requestedNick, state.user != nil else {
                return nil
            }
            state.helloSent = true
            state.nick = nick
            return .some(state.password)
        }
        guard case .some(let password) = token else { return }
        guard let password else {
            connection.closeAfter(
                .bye(CircleError(.badToken, "Sign in with your Circle token as the server password (PASS).")))
            return
        }
        await run(.hello(.init(client: "irc", token: password)), for: .hello)
        // The reply may follow a commit (the sign-in's audit); a client that sends JOIN right
        // behind its registration must find it done, so no line is read until it is.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let answered = session.state.withLock { state in
                guard !state.registered, !state.signInFailed else { return true }
                state.registration = continuation
                return false
            }
            if answered { continuation.resume() }
        }
    }

    /// A PRIVMSG to a channel is a `say`; one to the service nick is a Circle command.
    private func privateMessage(to target: String, _ text: String) async {
        if let room = IRCNames.room(target) {
            // An IRC client's /me: the action is said as it reads.
            var text = text
            if text.hasPrefix("\u{1}ACTION "), text.hasSuffix("\u{1}") {
                let nick = session.state.withLock { $0.nick }
                text = "* \(nick) " + text.dropFirst(8).dropLast()
            } else if text.hasPrefix("\u{1}") {
                return reply("404", target, "CTCP is not carried into a room")
            }
            return await run(.say(.init(room: room, text: text)), for: .say(channel: target))
        }
        guard target.lowercased() == IRCNames.service else {
            return reply(
                "401", target, "Private messages go through the room: message the channel, or \(IRCNames.service)")
        }
        await service(text)
    }

    /// What IRC has no verb for, said to the service nick as `circle`'s chat screen takes its
    /// slash commands, without the slash: `checkin g1=6 kept=partly`, `pass`, `round who`,
    /// `mute Sam 10m reason`. The same parser and the same room actions turn it into a request,
    /// so a command reads and resolves names here exactly as it does there. A leading
    /// `#channel` names the room; with one channel joined it may be left out.
    private func service(_ text: String) async {
        var command = text.trimmingCharacters(in: .whitespaces)
        var named: String?
        if command.hasPrefix("#") {
            let parts = command.split(separator: " ", maxSplits: 1).map(String.init)
            named = parts[0]
            command = parts.count > 1 ? parts[1] : ""
        }
        if command.hasPrefix("/") { command.removeFirst() }
        let (channel, view) = session.state.withLock { state -> (String?, RoomView?) in
            let channel = named ?? (state.channels.count == 1 ? state.channels.keys.first : nil)
            return (channel, channel.flatMap { state.channels[$0]?.view })
        }
        let parsed = command.isEmpty ? .success(.help) : SlashCommand.parse("/" + command)
        let request: Result<Request, UsageError>
        switch parsed {
        case .failure(let usage): return serviceNotice(usage.message)
        case .success(.help): return serviceNotice(Self.serviceHelp)
        case .success(let other):
            guard let view, let channel else {
                return serviceNotice(
                    named.map { "You are not in \($0); /join it first." }
                        ?? "Say which room first: /msg \(IRCNames.service) #channel \(command)")
            }
            switch other {
            case .room(let action): request = action.request(in: view)
            case .accept:
                // The version this client was shown; if it has changed since, the room says so.
                request = .success(.agreementsAccept(.init(room: view.id, version: view.agreementsVersion)))
            case .needHelp(let note): request = .success(.helpSignal(.init(room: view.id, note: note)))
            case .stillToGo: request = .success(.roundWho(.init(room: view.id)))
            case .agreements:
                return serviceNotice("Agreements, version \(view.agreementsVersion): " + view.agreements)
            case .who:
                return serviceNotices(view.whoLines(now: connection.context.clock.now()))
            default:
                return serviceNotice(
                    "'\(command.split(separator: " ").first ?? "")' is for Circle's own client; here, /msg \(IRCNames.service) help lists what works."
                )
            }
            switch request {
            case .failure(let usage): serviceNotice(usage.message)
            case .success(let request): await run(request, for: .service(channel: channel))
            }
        }
    }

    static let serviceHelp = """
        Say Circle's commands to me as the chat screen takes them, without the slash, the channel first when you are in more than one: accept, agreements, needhelp NOTE, who, round who, checkin g1=6 kept=yes | note, pass, goal TEXT; for facilitators: round start checkin, round close, skip, extend 60, mute NAME 10m REASON, kick NAME REASON, remove SEQ REASON, topic TEXT, lock, floor moderated. Messages to a channel go to its room; each is kept, and echoed once stored.
        """

    private func serviceNotices(_ lines: [String]) {
        let nick = session.state.withLock { $0.nick }
        session.say(lines.map { IRCMessage(source: IRCSession.serviceMask, "NOTICE", [nick, $0]) })
    }

    private func serviceNotice(_ text: String) {
        let nick = session.state.withLock { $0.nick }
        session.say([IRCMessage(source: IRCSession.serviceMask, "NOTICE", [nick, text])])
    }

    /// Sends a request through the connection's handlers, remembering what it was for.
    private func run(_ request: Request, for pending: IRCState.Pending) async {
        let id = session.state.withLock { $0.request(pending) }
        guard let admitted = connection.admit(id, .success(request)) else { return }
        await connection.handle(admitted, id: id)
    }

    private func reply(_ code: String, _ parameters: String...) {
        let message = session.state.withLock { state in
            IRCMessage(source: IRCNames.server, code, [state.nick] + parameters)
        }
        session.say([message])
    }
}
