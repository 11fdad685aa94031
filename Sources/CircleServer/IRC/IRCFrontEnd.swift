import CircleCore
import CircleProtocol

/// The IRC protocol's way in: registration and capability negotiation are answered here, and
/// everything a person does in a room becomes the same `Request` Circle's own client sends,
/// run by the same handlers under the same role table. Replies come back through the
/// session (`IRCSession`), which writes them as IRC lines.
struct IRCFrontEnd: Sendable {
    let connection: Connection
    let session: IRCSession

    /// The capabilities offered; the rest of IRCv3 is not spoken yet.
    static let capabilities = ["echo-message", "message-tags", "server-time"]

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
        case "MODE":
            let target = message.parameters.first ?? ""
            if target.hasPrefix("#") { reply("324", target, "+nt") } else { reply("221", "+i") }
        case "WHO":
            reply("315", message.parameters.first ?? "*", "End of /WHO list")
        default:
            reply("421", message.command, "Unknown command")
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

    /// What IRC has no verb for, said to the service nick: `accept #room`, `help`.
    private func service(_ text: String) async {
        let words = text.split(separator: " ").map(String.init)
        switch words.first?.lowercased() {
        case "accept":
            guard words.count == 2, let room = IRCNames.room(words[1]) else {
                return serviceNotice("Say: accept #room (the channel whose agreements you accept).")
            }
            // The version this client was shown; if it has changed since, the room says so.
            let version = session.state.withLock { $0.channels[words[1]]?.agreementsVersion } ?? 0
            await run(.agreementsAccept(.init(room: room, version: version)), for: .service(channel: words[1]))
        default:
            serviceNotice(
                "Commands: accept #room (accept the group's agreements). Messages to a channel go to the room; they are kept, and echoed once stored."
            )
        }
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
