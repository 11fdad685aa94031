import CircleCore
import CircleProtocol
import CircleUI
import Foundation
import NIOCore
import Synchronization

/// What one IRC client has negotiated and been shown: its nick, its capabilities, the rooms it
/// follows as channels and who is in them, and what each request it made was for. The gateway's
/// transport and its front end share it.
struct IRCState {
    /// What a request was sent for, so that its reply reads as IRC expects.
    enum Pending {
        case hello
        case join(channel: String)
        case say(channel: String)
        case leave(channel: String)
        case topic(channel: String)
        case moderation(channel: String)
        case invite(channel: String)
        case chathistory(channel: String)
        case list
        case service(channel: String?)
    }

    /// One room as a channel: the room as the core's own fold has it (`RoomView`, as the
    /// chat screen keeps it), so the service nick's commands resolve names and versions the
    /// same way `circle` does.
    struct Channel {
        var view: RoomView
    }

    var password: String?
    var requestedNick: String?
    var user: String?
    /// CAP negotiation in progress: registration waits for `CAP END`.
    var negotiating = false
    var capabilities: Set<String> = []
    var helloSent = false
    /// The sign-in failed: the connection closes once its last lines are written.
    var signInFailed = false
    /// The front end, waiting for the answer to its `hello` before it reads another line.
    var registration: CheckedContinuation<Void, Never>?
    var registered = false
    var account: Reply.Account?
    var nick = "*"
    var nextID: Int64 = 1
    /// For naming each CHATHISTORY batch.
    var nextBatch = 1
    var pending: [Int64: Pending] = [:]
    var channels: [String: Channel] = [:]
    /// Names learned from joins and events, and the nick each account is shown under.
    var text = EventText(timeZone: TimeZone(identifier: "UTC")!)
    var nicks: [AccountID: String] = [:]

    mutating func request(_ pending: Pending) -> Int64 {
        defer { nextID += 1 }
        self.pending[nextID] = pending
        return nextID
    }

    func channel(of room: RoomID) -> Channel? {
        channels[IRCNames.channel(room)]
    }

    /// The account shown under `nick` on this connection.
    func account(nick: String) -> AccountID? {
        nicks.first { $0.value.lowercased() == nick.lowercased() }?.key
    }

    /// The nick an account is shown under: its name made IRC-safe, kept unique on this
    /// connection (a second "Sam" is "Sam|k2f9").
    mutating func nick(_ account: AccountID?, name: String? = nil) -> String {
        guard let account else { return IRCNames.service }
        if let known = nicks[account] { return known }
        var nick = IRCNames.nick(name ?? text.name(account))
        // IRC compares nicks without case: "Circle" would be the service nick, and "SAM" Sam.
        let taken = Set(nicks.values.map { $0.lowercased() } + [IRCNames.service])
        if taken.contains(nick.lowercased()) {
            nick = String(nick.prefix(24)) + "|" + String(account.rawValue.suffix(4))
        }
        nicks[account] = nick
        return nick
    }
}

/// How Circle's names read on IRC.
enum IRCNames {
    /// The server's name as IRC sees it, and the service nick that carries Circle's own
    /// commands and notices.
    static let server = "circle.local"
    static let service = "circle"

    /// A room's stable channel: its id, which never changes, unlike its name.
    static func channel(_ room: RoomID) -> String {
        "#" + room.rawValue
    }

    static func room(_ channel: String) -> RoomID? {
        guard channel.hasPrefix("#"), channel.count > 1 else { return nil }
        return RoomID(String(channel.dropFirst()))
    }

    /// A display name as a nick: letters, digits and IRC's special characters; anything else
    /// (a space, an accent, an emoji) becomes `_`.
    static func nick(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-[]\\`^{}|")
        var nick = String(name.map { allowed.contains($0) ? $0 : "_" }.prefix(30))
        if nick.isEmpty || nick.first!.isNumber || nick.first == "-" { nick = "_" + nick }
        return nick
    }

    static func prefix(_ role: RoomRole?) -> String {
        switch role {
        case .facilitator: "@"
        case .coFacilitator: "%"
        case .participant, .observer, nil: ""
        }
    }
}

/// The IRC client's side of a Circle connection: what the handlers send (replies, refusals,
/// the room's fan-out, history) written as IRC lines. Lines are formatted and queued to the
/// channel under one lock, so they keep the order they were sent in, from whatever thread.
final class IRCSession: Transport {
    let channel: any Channel
    let state = Mutex(IRCState())

    init(channel: any Channel) {
        self.channel = channel
    }

    var remoteIP: String? { channel.remoteAddress?.ipAddress }

    func send(_ message: Outbound) {
        send([message])
    }

    func send(_ messages: [Outbound]) {
        let channel = channel
        let (written, failed) = state.withLock { state in
            (write(messages.flatMap { lines(for: $0, in: &state) }), state.signInFailed)
        }
        // IRC has no second try at registration: a refused token ends the connection.
        if failed { written.whenComplete { _ in channel.close(promise: nil) } }
    }

    func sendAndWait(_ message: Outbound) async throws {
        let written = state.withLock { state in write(lines(for: message, in: &state)) }
        try await written.get()
    }

    func close(after message: Outbound) {
        let channel = channel
        state.withLock { state in write(lines(for: message, in: &state)) }.whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    func abort() {
        channel.close(promise: nil)
    }

    /// Writes lines the front end says itself (registration, PONG, numerics).
    func say(_ messages: [IRCMessage]) {
        state.withLock { _ in _ = write(messages) }
    }

    @discardableResult
    private func write(_ messages: [IRCMessage]) -> EventLoopFuture<Void> {
        guard !messages.isEmpty else { return channel.eventLoop.makeSucceededVoidFuture() }
        // Past the write buffer's high mark (`outboundLimit`) the reader cannot keep up: it is
        // let go, as on the JSON side, rather than buffered without bound; CHATHISTORY AFTER
        // its last msgid gives it what it missed.
        guard channel.isWritable else {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }
        var buffer = channel.allocator.buffer(capacity: messages.count * 80)
        for message in messages {
            buffer.writeString(message.line)
            buffer.writeString("\r\n")
        }
        return channel.writeAndFlush(buffer)
    }

    // MARK: What each message reads as

    private func lines(for message: Outbound, in state: inout IRCState) -> [IRCMessage] {
        switch message {
        case .reply(let id, let result):
            return replied(id, result, in: &state)
        case .appended(let id, _, _):
            // The sender's own line comes back through the room's fan-out, once committed; a
            // command to the service nick is answered to the one who sent it.
            guard case .service(let channel) = state.pending.removeValue(forKey: id) else { return [] }
            return [IRCMessage(source: Self.serviceMask, "NOTICE", [channel ?? state.nick, "Done."])]
        case .error(let id, let error):
            return refused(id.flatMap { state.pending.removeValue(forKey: $0) }, error, in: &state)
        case .storedEvent(let json):
            guard case .event(let event)? = try? ServerFrame.parse(ServerFrame.eventFrame(json: json)) else {
                return []
            }
            return lines(for: event, history: true, in: &state)
        case .purged(let span):
            return notices(
                span.room, "Events \(span.first) to \(span.last) are in an archive, not here.", in: &state)
        case .bye(let reason):
            return [IRCMessage("ERROR", ["Closing link: \(reason.message)"])]
        case .shared(let shared):
            switch shared.content {
            case .event(let event): return lines(for: event, history: false, in: &state)
            case .presence(let presence): return lines(for: presence, in: &state)
            }
        }
    }

    private func replied(_ id: Int64, _ result: any Encodable & Sendable, in state: inout IRCState) -> [IRCMessage] {
        guard let pending = state.pending.removeValue(forKey: id) else { return [] }
        switch pending {
        case .hello:
            defer {
                state.registration?.resume()
                state.registration = nil
            }
            guard let account = (result as? Reply.Hello)?.account else {
                state.signInFailed = true
                return [
                    numeric("464", in: state, "Sign in with your Circle token as the server password (PASS)."),
                    IRCMessage("ERROR", ["Closing link: no valid token"]),
                ]
            }
            state.account = account
            state.text.names[account.id] = account.name
            state.nick = state.nick(account.id, name: account.name)
            state.registered = true
            return welcome(state)
        case .join(let channel):
            guard let joined = result as? Reply.Joined else { return [] }
            return joinedLines(joined, channel: channel, in: &state)
        case .leave(let channel):
            state.channels[channel] = nil
            return [IRCMessage(source: mask(state.account?.id, in: &state), "PART", [channel])]
        case .list:
            guard let rooms = (result as? Reply.Rooms)?.rooms else { return [] }
            return [numeric("321", in: state, "Channel", "Users  Name")]
                + rooms.map {
                    numeric(
                        "322", in: state, IRCNames.channel($0.id), "\($0.members)", "\($0.name) (\($0.role.rawValue))")
                } + [numeric("323", in: state, "End of /LIST")]
        case .say, .topic, .moderation:
            return []
        case .chathistory(let channel):
            guard let history = result as? Reply.History else { return [] }
            return batch(history, channel: channel, in: &state)
        case .invite(let channel):
            guard let invite = result as? Reply.InviteCreated else { return [] }
            return [
                IRCMessage(
                    source: Self.serviceMask, "NOTICE",
                    [
                        channel,
                        "Invite code \(invite.code), for one person: they redeem it with circle, then sign in here.",
                    ])
            ]
        case .service(let channel):
            var text = "Done."
            if let still = result as? StillToGo, let view = channel.flatMap({ state.channels[$0]?.view }) {
                text = view.stillToGoLine(still)
            }
            return [IRCMessage(source: Self.serviceMask, "NOTICE", [channel ?? state.nick, text])]
        }
    }

    private func refused(_ pending: IRCState.Pending?, _ error: CircleError, in state: inout IRCState) -> [IRCMessage] {
        if case .hello = pending {
            state.signInFailed = true
            state.registration?.resume()
            state.registration = nil
        }
        return switch pending {
        case .join(let channel): [numeric("403", in: state, channel, error.message)]
        case .say(let channel): [numeric("404", in: state, channel, error.message)]
        case .leave(let channel): [numeric("442", in: state, channel, error.message)]
        case .chathistory(let channel):
            [IRCMessage(source: IRCNames.server, "FAIL", ["CHATHISTORY", "MESSAGE_ERROR", channel, error.message])]
        case .topic(let channel), .moderation(let channel), .invite(let channel):
            [numeric(error.code == .forbidden ? "482" : "404", in: state, channel, error.message)]
        case .hello:
            [numeric("464", in: state, error.message), IRCMessage("ERROR", ["Closing link: \(error.message)"])]
        case .service(let channel):
            [IRCMessage(source: Self.serviceMask, "NOTICE", [channel ?? state.nick, error.message])]
        case .list, nil:
            [IRCMessage(source: IRCNames.server, "NOTICE", [state.nick, error.message])]
        }
    }

    func welcome(_ state: IRCState) -> [IRCMessage] {
        let name = state.account?.name ?? state.nick
        return [
            numeric("001", in: state, "Welcome to Circle, \(name). Your rooms are channels: /list shows them."),
            numeric("002", in: state, "Your host is \(IRCNames.server), a Circle gateway"),
            numeric("003", in: state, "Messages are kept; each is acknowledged once it is stored"),
            numeric("004", in: state, IRCNames.server, "circle", "i", "mnt"),
            numeric(
                "005", in: state, "CHANTYPES=#", "PREFIX=(oh)@%", "NETWORK=Circle", "CASEMAPPING=ascii",
                "NICKLEN=30", "CHATHISTORY=\(IRCFrontEnd.historyLimit)", "MSGREFTYPES=msgid",
                "are supported by this server"),
            numeric("422", in: state, "No message of the day; message \(IRCNames.service) with 'help'."),
        ]
    }

    private func joinedLines(_ joined: Reply.Joined, channel name: String, in state: inout IRCState) -> [IRCMessage] {
        state.text.learn(joined.members)
        var channel = IRCState.Channel(view: RoomView(id: joined.room, name: joined.name, role: joined.role))
        channel.view.apply(joined)
        for member in joined.members { _ = state.nick(member.id, name: member.name) }
        if let own = state.account?.id { channel.view.online.insert(own) }
        state.channels[name] = channel
        var lines = [IRCMessage(source: mask(state.account?.id, in: &state), "JOIN", [name])]
        lines.append(numeric("332", in: state, name, topic(of: channel)))
        lines += names(of: name, in: &state)
        if joined.acceptedVersion < joined.agreementsVersion {
            lines.append(
                IRCMessage(
                    source: Self.serviceMask, "NOTICE",
                    [
                        name,
                        "The group's agreements (version \(joined.agreementsVersion)) are not yet accepted: "
                            + joined.agreements.replacing("\n", with: " / ")
                            + " To accept them: /msg \(IRCNames.service) accept \(name)",
                    ]))
        }
        return lines
    }

    /// A CHATHISTORY answer: the page's events in log order, in one `chathistory` batch
    /// when the client negotiated `batch`.
    private func batch(_ history: Reply.History, channel: String, in state: inout IRCState) -> [IRCMessage] {
        state.text.learn(history.members)
        for member in history.members { _ = state.nick(member.id, name: member.name) }
        var page: [IRCMessage] = []
        for event in history.events.sorted(by: { $0.seq < $1.seq }) {
            page += lines(for: event, history: true, in: &state)
        }
        guard state.capabilities.contains("batch") else { return page }
        let reference = "h\(state.nextBatch)"
        state.nextBatch += 1
        for index in page.indices { page[index].tags.insert(("batch", reference), at: 0) }
        return [IRCMessage(source: IRCNames.server, "BATCH", ["+" + reference, "chathistory", channel])] + page
            + [IRCMessage(source: IRCNames.server, "BATCH", ["-" + reference])]
    }

    func topic(of channel: IRCState.Channel) -> String {
        let topic = channel.view.topic
        return topic.isEmpty ? channel.view.name : "\(channel.view.name): \(topic)"
    }

    /// NAMES for one channel: those online, facilitators marked.
    func names(of name: String, in state: inout IRCState) -> [IRCMessage] {
        guard let channel = state.channels[name] else {
            return [numeric("366", in: state, name, "End of /NAMES list")]
        }
        let shown = channel.view.online.sorted { $0.rawValue < $1.rawValue }.map {
            IRCNames.prefix(channel.view.members[$0]?.role) + state.nick($0)
        }
        return [
            numeric("353", in: state, "=", name, shown.joined(separator: " ")),
            numeric("366", in: state, name, "End of /NAMES list"),
        ]
    }

    private func lines(for presence: Presence, in state: inout IRCState) -> [IRCMessage] {
        let name = IRCNames.channel(presence.room)
        guard state.channels[name] != nil, presence.member != state.account?.id else { return [] }
        if presence.online {
            state.channels[name]?.view.online.insert(presence.member)
        } else {
            state.channels[name]?.view.online.remove(presence.member)
        }
        let who = mask(presence.member, name: presence.name, in: &state)
        return [
            presence.online
                ? IRCMessage(source: who, "JOIN", [name]) : IRCMessage(source: who, "PART", [name, "offline"])
        ]
    }

    private func lines(for event: Event, history: Bool, in state: inout IRCState) -> [IRCMessage] {
        state.text.learn(event)
        let name = IRCNames.channel(event.room)
        guard state.channels[name] != nil else { return [] }
        if case .memberJoined(let member, let memberName, _, _) = event.body {
            _ = state.nick(member, name: memberName)
        }
        // History up to the join's `through` is in the reply's facts already; only later
        // events fold on.
        if let view = state.channels[name]?.view, event.seq > view.liveAfter {
            state.channels[name]?.view.learn(event)
        }
        var tags: [(key: String, value: String)] = []
        if state.capabilities.contains("server-time") { tags.append(("time", Self.time(event.at))) }
        if state.capabilities.contains("message-tags") { tags.append(("msgid", "\(event.room.rawValue)-\(event.seq)")) }
        let names = state.text
        let wording = EventWording.of(event, name: names.name, clock: { Self.clock($0) }, goal: { names.goals[$0] })
        if case .message = event.body, wording.tone == .speech {
            let own = event.actor == state.account?.id
            // A member's own words come back only to a client that asked (echo-message), and
            // only now: fan-out follows the commit, so the echo is the acknowledgement.
            if own && !history && !state.capabilities.contains("echo-message") { return [] }
            let source = mask(event.actor, in: &state)
            return wording.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
                IRCMessage(tags: $0.offset == 0 ? tags : [], source: source, "PRIVMSG", [name, String($0.element)])
            }
        }
        switch event.body {
        case .memberKicked(let member, _) where !history, .memberBanned(let member, _, _) where !history:
            // As IRC says it, so the client leaves the channel; the others see who went. A
            // past one, in history, is only a notice: the member may be back since.
            if member == state.account?.id { state.channels[name] = nil }
            let kicked = state.nick(member)
            return [
                IRCMessage(
                    tags: tags, source: mask(event.actor, in: &state), "KICK",
                    [name, kicked, wording.plain(name: names.name).trimmingPrefix("* ").description])
            ]
        default: break
        }
        let text = wording.plain(name: names.name)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            IRCMessage(
                tags: $0.offset == 0 ? tags : [], source: Self.serviceMask, "NOTICE", [name, String($0.element)])
        }
    }

    private func notices(_ room: RoomID, _ text: String, in state: inout IRCState) -> [IRCMessage] {
        [IRCMessage(source: Self.serviceMask, "NOTICE", [IRCNames.channel(room), text])]
    }

    static let serviceMask = "\(IRCNames.service)!\(IRCNames.service)@\(IRCNames.server)"

    func mask(_ account: AccountID?, name: String? = nil, in state: inout IRCState) -> String {
        guard let account else { return Self.serviceMask }
        return "\(state.nick(account, name: name))!\(account.rawValue)@\(IRCNames.server)"
    }

    func numeric(_ code: String, in state: IRCState, _ parameters: String...) -> IRCMessage {
        IRCMessage(source: IRCNames.server, code, [state.nick] + parameters)
    }

    /// IRCv3 `server-time`: UTC, with milliseconds.
    static func time(_ at: Timestamp) -> String {
        var seconds = time_t(at.milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, Int32(at.milliseconds % 1000))
    }

    static func clock(_ at: Timestamp) -> String {
        let seconds = at.milliseconds / 1000
        return String(format: "%02d:%02d UTC", Int32((seconds / 3600) % 24), Int32((seconds / 60) % 60))
    }
}
