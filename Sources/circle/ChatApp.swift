import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The full-screen chat: one loop owns the state and the screen; keys, server frames, timers
/// and signals all arrive as `AppInput`. The connection is re-made with backoff whenever it
/// drops, every room is resumed from its last sequence number, and messages typed meanwhile are
/// sent afterwards with their original client ids, so each is stored exactly once.
final class ChatApp {
    let host: String
    let port: Int
    let tls: ClientTLS?
    let token: String
    let initialRoom: String?
    let terminal = Terminal()
    var state = ChatState()
    var painter: ScreenPainter
    var decoder = KeyDecoder()
    var paneHeight = 20
    var connection: CircleConnection?
    /// Bumped per connection attempt, so frames from an old connection are ignored.
    var generation = 0
    var backoff = 0.5
    var resumed = false
    /// Sends run one after another, in the order they were typed.
    var sendChain: Task<Void, Never>?
    let inputs: AsyncStream<AppInput>
    let post: AsyncStream<AppInput>.Continuation
    var signalSources: [any DispatchSourceSignal] = []
    var quitReason: String?

    /// Whether the terminal bell rings when your turn in a round begins or a message names you.
    let bellOnTurn: Bool
    /// The server logged this client off (inactivity, a revoked token): no automatic reconnect.
    var loggedOff = false
    /// Lines typed while signing back in after a sign-out, run once the rooms are resumed.
    var waitingLines: [String] = []
    /// When my timed bans end, by room: the chat follows the room again on its own then.
    var banEnds: [RoomID: Timestamp] = [:]
    /// Where the lines typed are kept between runs, and what was last written there.
    let historyFile = InputHistory.file()
    var savedHistory: [String]

    init(
        host: String, port: Int, tls: ClientTLS?, token: String, initialRoom: String?, colors: Bool,
        bellOnTurn: Bool = true
    ) {
        self.bellOnTurn = bellOnTurn
        self.host = host
        self.port = port
        self.tls = tls
        self.token = token
        self.initialRoom = initialRoom
        painter = ScreenPainter(colors: colors)
        (inputs, post) = AsyncStream.makeStream(of: AppInput.self)
        state.verbs = SlashCommand.verbs
        savedHistory = InputHistory.load(from: historyFile)
        state.input = InputLine(history: savedHistory)
        let marks = ReadMarks.load(from: ReadMarks.file())
        state.seenBefore = Dictionary(uniqueKeysWithValues: marks.map { (RoomID($0.key), $0.value) })
    }

    var now: Timestamp {
        Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
    }

    /// Runs until the person quits; the terminal is restored on every way out.
    func run() async -> Int32 {
        do {
            try terminal.enter()
        } catch {
            return 1
        }
        defer {
            terminal.restore()
            connection?.abort()
            if let quitReason { printError(quitReason) }
            // Where each room was read to, for the next run's "new since you were last here".
            let marks = state.rooms.filter { $0.value.lastSeq > 0 }.map { ($0.key.rawValue, $0.value.lastSeq) }
            try? ReadMarks.save(Dictionary(uniqueKeysWithValues: marks), to: ReadMarks.file())
        }
        startInputThread()
        watchSignals()
        let ticker = Task { [post] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                post.yield(.tick)
            }
        }
        defer { ticker.cancel() }
        connect()
        draw()
        for await input in inputs {
            if handle(input) == false { break }
            draw()
        }
        return 0
    }

    // MARK: Inputs

    private func startInputThread() {
        let post = post
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else {
                    let reason = count == 0 ? "the terminal closed" : "the terminal could not be read (errno \(errno))"
                    post.yield(.quit(reason: reason))
                    return
                }
                post.yield(.bytes(Array(buffer[0..<count])))
            }
        }
        thread.start()
    }

    private func watchSignals() {
        // A parent may have left these blocked; blocked, they would never reach the sources.
        var watched = sigset_t()
        sigemptyset(&watched)
        for number in [SIGWINCH, SIGTERM, SIGINT, SIGHUP] { sigaddset(&watched, number) }
        pthread_sigmask(SIG_UNBLOCK, &watched, nil)
        let post = post
        let signals: [(Int32, AppInput)] = [
            (SIGWINCH, .resize), (SIGTERM, .quit(reason: "stopped by SIGTERM")),
            (SIGINT, .quit(reason: "stopped by SIGINT")), (SIGHUP, .quit(reason: "the terminal hung up")),
        ]
        for (number, input) in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { post.yield(input) }
            source.resume()
            signalSources.append(source)
        }
    }

    /// Returns false to quit.
    private func handle(_ input: AppInput) -> Bool {
        switch input {
        case .bytes(let bytes):
            for key in decoder.feed(bytes) where handleKey(key) == false { return false }
            if bytes.last == 0x1B {
                let post = post
                Task {
                    try? await Task.sleep(for: .milliseconds(50))
                    post.yield(.escapeTimeout)
                }
            }
        case .escapeTimeout:
            for key in decoder.flushEscape() where handleKey(key) == false { return false }
        case .resize:
            painter.reset()
        case .tick:
            // A timed ban that has ended: follow the room again, as `/join` would.
            for (room, end) in banEnds where end <= now && resumed {
                banEnds[room] = nil
                rejoin(room)
            }
        case .quit(let reason):
            quitReason = reason
            return false
        case .connected(let connection, let hello, let generation):
            guard generation == self.generation else {
                connection.abort()
                return true
            }
            connected(connection, hello: hello)
        case .connectFailed(let reason, let generation):
            guard generation == self.generation else { return true }
            scheduleReconnect(reason: reason)
        case .frame(let frame, let generation):
            guard generation == self.generation else { return true }
            apply(frame)
        case .disconnected(let generation):
            guard generation == self.generation else { return true }
            connection = nil
            resumed = false
            state.disconnected()
            if loggedOff {
                // Logged off for inactivity (or signed out): coming back is the person's choice.
                state.notice(
                    "Signed out. Press Enter to sign in again (what you type is sent once you are), or Ctrl-C to leave.",
                    at: now)
                state.connection = .signedOut
            } else {
                scheduleReconnect(reason: "connection lost")
            }
        case .reconnectNow(let generation):
            guard generation == self.generation else { return true }
            connect()
        case .resumed(let generation):
            guard generation == self.generation else { return true }
            resumed = true
            state.connection = .connected
            for message in state.pending { send(message) }
            // Lines typed while signing back in, in the order they were typed.
            let lines = waitingLines
            waitingLines = []
            for line in lines where !submit(line) { return false }
        case .update(let change):
            change(&state)
        case .resendPending(let room):
            for message in state.pending where message.room == room { send(message) }
        }
        return true
    }

    private func handleKey(_ key: Key) -> Bool {
        switch state.handle(key, paneHeight: paneHeight) {
        case nil: return true
        case .quit: return false
        case .submit(let line):
            saveHistory()
            guard !(loggedOff && connection == nil) else {
                // Enter signs back in; whatever was typed with it runs once signed in.
                loggedOff = false
                connect()
                if !line.isEmpty { waitingLines.append(line) }
                return true
            }
            guard resumed || waitingLines.isEmpty else {
                waitingLines.append(line)
                return true
            }
            return submit(line)
        case .loadOlder(let room, let before): loadOlder(room, before: before)
        }
        return true
    }

    /// Keeps what was typed for the next run; a history that cannot be written costs only a notice.
    private func saveHistory() {
        guard state.input.history != savedHistory else { return }
        savedHistory = state.input.history
        do {
            try InputHistory.save(savedHistory, to: historyFile)
        } catch {
            state.notice("\(error) (input history is not kept)", isError: true, at: now)
        }
    }

    private func apply(_ frame: ServerFrame) {
        switch frame {
        case .event(let event):
            let live = state.rooms[event.room]?.isLive(event) ?? true
            let sinceJoin = event.seq > state.rooms[event.room]?.liveAfter ?? 0
            state.apply(event)
            // An unban reaches a member who is not joined (the ban took them out), so it is
            // not gated on being joined, only on being newer than the last join.
            if case .memberUnbanned(let member) = event.body, member == state.me?.id, sinceJoin {
                banEnds[event.room] = nil
                if state.rooms[event.room]?.joined == false { rejoin(event.room) }
            }
            // History replays the past: its turns, alerts and kicks are over.
            guard live else { return }
            // Only facilitators receive these; the bell makes sure they notice.
            switch event.body {
            case .helpRequested, .riskAlert, .instrumentAlert: terminal.bell()
            case .message(let text, _) where bellOnTurn && event.actor != state.me?.id:
                let me = state.me.map { state.rooms[event.room]?.members[$0.id]?.name ?? $0.name }
                if let me, Mention.of(me, in: text) { terminal.bell() }
            case .turnBegan(let member, _) where member == state.me?.id:
                // Your turn: the bell (unless turned off), then your goal card.
                if bellOnTurn { terminal.bell() }
                let room = event.room
                request(.progress(.init(room: room)), as: MemberProgress.self) { progress, state in
                    state.notice("It is your turn. /checkin when you are ready, or /pass.", at: state.lobbyTime)
                    let shared = state.rooms[room]?.sharedGoals ?? []
                    for line in GoalCard.lines(progress, shared: shared) { state.notice(line, at: state.lobbyTime) }
                    // The round asks a questionnaire: its items one by one, in its own wording.
                    if let instrument = progress.instrument, let round = state.rooms[room]?.round?.number {
                        state.start(
                            Questionnaire(room: room, round: round, instrument: instrument), at: state.lobbyTime)
                    }
                }
            case .sideRoomOpened(let room, let member) where member == state.me?.id:
                state.offerSideRoom(room, from: event)
                if bellOnTurn { terminal.bell() }
            case .memberKicked(let member, _) where member == state.me?.id:
                state.rooms[event.room]?.joined = false
            case .memberBanned(let member, let until, _) where member == state.me?.id:
                state.rooms[event.room]?.joined = false
                banEnds[event.room] = until
            default: break
            }
        case .presence(let presence): state.apply(presence)
        case .purged(let span): state.rooms[span.room]?.append(.notice(span.sentence, isError: false, at: now))
        case .bye(let reason):
            if reason.code == .idleLogoff || reason.code == .tokenRevoked { loggedOff = true }
            state.notice(reason.message, at: now)
        case .error(_, let error): state.notice(error.message, isError: true, at: now)
        case .ok, .ping: break
        }
    }

    // MARK: The connection

    private func connect() {
        generation += 1
        let generation = generation
        state.connection = .connecting
        let (host, port, tls, token, post) = (host, port, tls, token, post)
        Task {
            do {
                let (connection, hello) = try await CircleConnection.connect(
                    host: host, port: port, token: token, tls: tls)
                post.yield(.connected(connection, hello, generation: generation))
            } catch {
                post.yield(.connectFailed(String(describing: error), generation: generation))
            }
        }
    }

    private func scheduleReconnect(reason: String) {
        let delay = backoff
        backoff = min(backoff * 2, 10)
        state.connection = .reconnecting(retryAt: now.adding(milliseconds: Int64(delay * 1000)), reason: reason)
        let (generation, post) = (generation, post)
        Task {
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            post.yield(.reconnectNow(generation: generation))
        }
    }

    private func connected(_ connection: CircleConnection, hello: Reply.Hello) {
        self.connection = connection
        backoff = 0.5
        state.me = hello.account
        // "connected" is shown once every room is resumed, when commands can run.
        let (generation, post) = (generation, post)
        Task {
            for await frame in connection.pushes { post.yield(.frame(frame, generation: generation)) }
            post.yield(.disconnected(generation: generation))
        }
        // Resume every room from the last event seen; new rooms start with recent history.
        let known = state.rooms.mapValues(\.lastSeq)
        let initial = state.current == nil ? initialRoom : nil
        Task {
            do {
                let list: Reply.Rooms = try await connection.request(.roomList)
                post.yield(
                    .update { state in
                        state.apply(list)
                        guard state.current == nil else { return }
                        let found = initial.flatMap { state.findRoom($0) }
                        if let target = found ?? state.roomOrder.first { state.switchTo(target) }
                        if let initial, found == nil {
                            state.notice("You have no room called \(initial).", isError: true, at: state.lobbyTime)
                        }
                    })
                for room in list.rooms {
                    let since = known[room.id].flatMap { $0 > 0 ? $0 : nil }
                    do {
                        let joined: Reply.Joined = try await connection.request(
                            .join(.init(room: room.id, since: since)))
                        post.yield(.update { $0.apply(joined) })
                    } catch ClientError.server(let error) {
                        // One room refusing (a ban that still holds) is that room's, not the
                        // connection's: the others resume, and this one says why.
                        post.yield(
                            .update { state in
                                state.rooms[room.id]?.joined = false
                                state.notice(error.message, isError: true, at: state.lobbyTime)
                            })
                    }
                }
                post.yield(.resumed(generation: generation))
            } catch {
                connection.abort()
            }
        }
    }

    // MARK: Commands

    /// Runs a request in the background; `done` turns its result into a state change.
    private func request<Result: Decodable & Sendable>(
        _ request: Request, as type: Result.Type, done: @escaping @Sendable (Result, inout ChatState) -> Void
    ) {
        perform { connection, post in
            let result: Result = try await connection.request(request)
            post.yield(.update { done(result, &$0) })
        }
    }

    private func send(_ message: PendingMessage) {
        guard let connection else { return }
        let previous = sendChain
        let post = post
        sendChain = Task {
            await previous?.value
            do {
                let reply: Reply.Appended = try await connection.request(
                    .say(.init(room: message.room, text: message.text, cid: message.clientID)))
                post.yield(
                    .update { state in
                        // Stored. Its echo shows it as sent; a repeat, or a room not followed
                        // (whose echo will not come), must not leave it "sending" for ever.
                        if reply.duplicate || state.rooms[message.room]?.joined == false {
                            state.pending.removeAll { $0.clientID == message.clientID }
                        }
                    })
            } catch ClientError.server(let error) {
                post.yield(
                    .update { state in
                        state.pending.removeAll { $0.clientID == message.clientID }
                        state.notice(error.message, isError: true, at: message.typedAt)
                    })
            } catch {
                // The connection dropped: the message stays pending and is re-sent on resume.
            }
        }
    }

    private func submit(_ line: String) -> Bool {
        let command: SlashCommand
        switch SlashCommand.parse(line) {
        case .failure(let error):
            state.notice(error.description, isError: true, at: now)
            return true
        case .success(let parsed):
            command = parsed
        }
        let current = state.current
        switch command {
        case .say(let text):
            guard let current else {
                state.notice("Open a room first: /join ROOM (/rooms lists yours).", isError: true, at: now)
                return true
            }
            // The server's own rule, before sending: a message it would refuse (too long, say)
            // is refused here with the limit in the sentence, and never waits in the queue,
            // holding back what is typed after it.
            if case .failure(let error) = TextRules.message(text) {
                state.notice(error.message, isError: true, at: now)
                return true
            }
            let message = PendingMessage(room: current, text: text, clientID: UUID().uuidString, typedAt: now)
            state.pending.append(message)
            if state.rooms[current]?.joined == false {
                // Not following the room (after a kick, say): follow it again first, so what is
                // said there, this message's own echo included, arrives; the rejoin sends it.
                if resumed { rejoin(current) }
            } else if resumed {
                send(message)
            }
        case .join(let target, _):
            let id = state.findRoom(target.rawValue) ?? target
            if state.rooms[id] == nil {
                perform { connection, post in
                    try await Self.follow(id, name: id.rawValue, role: .participant, on: connection, post: post)
                }
            } else {
                state.switchTo(id)
                if state.rooms[id]?.joined == false { rejoin(id) }
            }
        case .leave(let target):
            guard let id = target.flatMap({ state.findRoom($0.rawValue) }) ?? current else { return true }
            request(.leave(.init(room: id)), as: Reply.Done.self) { _, state in
                state.rooms[id]?.joined = false
                state.roomOrder.removeAll { $0 == id }
                state.rooms[id] = nil
                state.current = state.roomOrder.first
            }
        case .open(let target), .close(let target):
            guard let id = target.flatMap({ state.findRoom($0.rawValue) }) ?? current else {
                state.notice("Which room? /join ROOM first.", isError: true, at: now)
                return true
            }
            let request: Request =
                if case .open = command { .sessionOpen(.init(room: id)) } else { .sessionClose(.init(room: id)) }
            self.request(request, as: Reply.Appended.self) { _, _ in }
        case .history(let limit):
            guard let room = state.currentRoom else { return true }
            loadOlder(room.id, before: room.firstSeq ?? room.lastSeq + 1, limit: limit ?? 50)
        case .rooms:
            request(.roomList, as: Reply.Rooms.self) { list, state in
                state.apply(list)
                let lines = list.rooms.map {
                    "\($0.name) (\($0.id), \($0.role.rawValue)\($0.session.map { ", session \($0) open" } ?? ""))"
                }
                state.notice(
                    lines.isEmpty ? "You are in no rooms yet." : "Your rooms: " + lines.joined(separator: "; "),
                    at: state.lobbyTime)
            }
        case .createRoom(let name):
            perform { connection, post in
                let created: Reply.RoomCreated = try await connection.request(.roomCreate(.init(name: name)))
                try await Self.follow(created.room, name: created.name, role: .facilitator, on: connection, post: post)
            }
        case .invite(let uses, let expiresIn, let role):
            guard let current else { return true }
            request(
                .inviteCreate(.init(room: current, uses: uses, expiresIn: expiresIn, role: role)),
                as: Reply.InviteCreated.self
            ) { invite, state in
                let offset = TimeZone.current.secondsFromGMT()
                let until = invite.expiresAt.map { ", valid until " + CivilDay.moment($0, utcOffset: offset) } ?? ""
                state.notice(
                    "Invite code \(invite.code) for \(invite.uses)\(role.map { " as \($0.rawValue)" } ?? "")\(until)"
                        + " (shown once; share it privately).",
                    at: state.lobbyTime)
            }
        case .redeem(let code, let name):
            perform { connection, post in
                let redeemed: Reply.Redeemed = try await connection.request(.redeem(.init(code: code, name: name)))
                try await Self.follow(
                    redeemed.room, name: redeemed.room.rawValue, role: redeemed.role, on: connection, post: post)
            }
        case .agreements:
            guard let room = state.currentRoom else { return true }
            state.notice(
                room.agreements + "\n— version \(room.agreementsVersion)"
                    + (room.mustAccept ? "; type /accept to agree." : ""), at: now)
        case .accept:
            guard let room = state.currentRoom else { return true }
            request(.agreementsAccept(.init(room: room.id, version: room.agreementsVersion)), as: Reply.Appended.self) {
                _, state in
                state.notice("Thank you. You can speak in \(room.name) now.", at: state.lobbyTime)
            }
        case .needHelp(let note):
            guard let current else { return true }
            request(.helpSignal(.init(room: current, note: note)), as: Reply.Appended.self) { _, state in
                state.notice(
                    "Your facilitators have been told, privately. If you are in danger, contact your local emergency number.",
                    at: state.lobbyTime)
            }
        case .room(var action):
            guard let room = state.currentRoom else { return true }
            // A check-in takes the answers given item by item, unless it names its own.
            if case .checkIn(var checkIn) = action, checkIn.answers == nil, let questionnaire = state.questionnaire,
                questionnaire.room == room.id, questionnaire.round == room.round?.number
            {
                guard questionnaire.isComplete else {
                    state.notice(
                        "Answer the \(questionnaire.instrument.name) first (item \(questionnaire.answers.count + 1) "
                            + "of \(questionnaire.instrument.items.count) is waiting), or give answers=… yourself.",
                        isError: true, at: now)
                    return true
                }
                checkIn.answers = questionnaire.answers
                action = .checkIn(checkIn)
            }
            switch action.request(in: room) {
            case .failure(let error): state.notice(error.description, isError: true, at: now)
            case .success(let request): self.request(request, as: Reply.Appended.self) { _, _ in }
            }
        case .original(let seq):
            guard let current else { return true }
            request(.messageOriginal(.init(room: current, seq: seq)), as: Reply.Original.self) { original, state in
                let name = state.rooms[current]?.name(of: original.event.actor) ?? "someone"
                if case .message(let text, _) = original.event.body {
                    state.notice("#\(seq) as \(name) wrote it (this read is audited): \(text)", at: state.lobbyTime)
                }
            }
        case .side(let name):
            guard let room = state.currentRoom, let member = member(named: name, in: room) else { return true }
            perform { connection, post in
                let side: Reply.SideOpened = try await connection.request(
                    .sideOpen(.init(room: room.id, member: member)))
                try await Self.follow(side.room, name: side.name, role: .facilitator, on: connection, post: post)
            }
        case .note(let name, let text):
            guard let room = state.currentRoom, let member = member(named: name, in: room) else { return true }
            request(.noteAdd(.init(room: room.id, member: member, text: text)), as: Reply.Done.self) { _, state in
                state.notice("Noted, privately.", at: state.lobbyTime)
            }
        case .notes(let name):
            guard let room = state.currentRoom, let member = member(named: name, in: room) else { return true }
            request(.noteList(.init(room: room.id, member: member)), as: Reply.Notes.self) { reply, state in
                if reply.notes.isEmpty { state.notice("No notes about \(name) yet.", at: state.lobbyTime) }
                for note in reply.notes {
                    state.notice("note by \(room.name(of: note.author)): \(note.text)", at: note.at)
                }
            }
        case .progress(let name):
            guard let room = state.currentRoom else { return true }
            var member: AccountID?
            if let name {
                guard let found = self.member(named: name, in: room) else { return true }
                member = found
            }
            request(.progress(.init(room: room.id, member: member)), as: MemberProgress.self) { progress, state in
                for line in GoalCard.lines(progress, shared: room.sharedGoals) {
                    state.notice(line, at: state.lobbyTime)
                }
            }
        case .who:
            guard let room = state.currentRoom else { return true }
            for line in room.whoLines(now: now) { state.notice(line, at: now) }
        case .stillToGo:
            guard let room = state.currentRoom else { return true }
            request(.roundWho(.init(room: room.id)), as: StillToGo.self) { still, state in
                state.notice(room.stillToGoLine(still), at: state.lobbyTime)
            }
        case .overview:
            guard let current else { return true }
            request(.overview(.init(room: current)), as: Overview.self) { overview, state in
                for line in GoalCard.overviewLines(overview) { state.notice(line, at: state.lobbyTime) }
            }
        case .journal(let command):
            journal(command)
        case .setAgreements(let text):
            guard let current else { return true }
            request(.agreementsSet(.init(room: current, text: text)), as: Reply.Appended.self) { _, _ in }
        case .ping:
            request(.ping, as: Reply.Done.self) { _, state in state.notice("The server answered.", at: state.lobbyTime)
            }
        case .wait:
            state.notice("/wait is for scripts.", at: now)
        case .help:
            let lines = SlashCommand.helpLines(kind: state.me?.kind, role: state.currentRoom?.role)
                .filter { !$0.hasPrefix("/wait") }
            for line in lines { state.notice(line, at: now) }
            state.notice(
                "Keys: PageUp/PageDown/Home/End scroll, Ctrl-N/Ctrl-P switch rooms, Ctrl-O members, Tab completes, Ctrl-C quits.",
                at: now)
        case .quit:
            return false
        }
        return true
    }

    /// Runs several requests in order in the background; a failure becomes a notice.
    private func perform(
        _ body: @escaping @Sendable (CircleConnection, AsyncStream<AppInput>.Continuation) async throws -> Void
    ) {
        guard let connection, resumed else {
            state.notice("Not connected; try again once the status bar says connected.", isError: true, at: now)
            return
        }
        let post = post
        Task {
            do {
                try await body(connection, post)
            } catch {
                let message = (error as? ClientError)?.description ?? String(describing: error)
                post.yield(.update { $0.notice(message, isError: true, at: $0.lobbyTime) })
            }
        }
    }

    /// Follows a known room again (after a kick, a ban's end, or a refused resume) from the last
    /// event seen, then sends what was typed for it meanwhile: the server knows each message's
    /// client id, so one that did reach it is not stored twice.
    private func rejoin(_ room: RoomID) {
        let since = state.rooms[room].map(\.lastSeq).flatMap { $0 > 0 ? $0 : nil }
        perform { connection, post in
            let joined: Reply.Joined
            do {
                joined = try await connection.request(.join(.init(room: room, since: since)))
            } catch ClientError.server(let error) {
                // Refused (a ban that still holds): what was typed for the room is not sent,
                // and says so rather than waiting as "sending" for ever.
                post.yield(
                    .update { state in
                        let unsent = state.pending.filter { $0.room == room }
                        state.pending.removeAll { $0.room == room }
                        for message in unsent {
                            state.notice(
                                "Not sent: \"\(message.text)\". \(error.message)", isError: true, at: message.typedAt)
                        }
                        if unsent.isEmpty { state.notice(error.message, isError: true, at: state.lobbyTime) }
                    })
                return
            }
            post.yield(.update { state in state.apply(joined) })
            post.yield(.resendPending(room: room))
        }
    }

    /// Starts following a room and switches to it. A placeholder goes in first, so the events
    /// that follow the join reply always have a room to land in.
    private static func follow(
        _ room: RoomID, name: String, role: RoomRole, on connection: CircleConnection,
        post: AsyncStream<AppInput>.Continuation
    ) async throws {
        post.yield(
            .update { state in
                guard state.rooms[room] == nil else { return }
                state.rooms[room] = RoomView(id: room, name: name, role: role)
                state.roomOrder.append(room)
            })
        let joined: Reply.Joined
        do {
            joined = try await connection.request(.join(.init(room: room)))
        } catch {
            post.yield(
                .update { state in
                    guard state.rooms[room]?.joined == false, state.rooms[room]?.timeline.isEmpty == true else {
                        return
                    }
                    state.rooms[room] = nil
                    state.roomOrder.removeAll { $0 == room }
                })
            throw error
        }
        post.yield(
            .update { state in
                state.apply(joined)
                state.switchTo(room)
            })
    }

    private func loadOlder(_ room: RoomID, before: Int64, limit: Int = 100) {
        request(.history(.init(room: room, before: before, limit: limit)), as: Reply.History.self) { page, state in
            let now = state.lobbyTime
            state.rooms[room]?.prepend(page.items, at: now)
            if page.events.isEmpty { state.notice("That is the beginning of the room.", at: state.lobbyTime) }
        }
    }

    // MARK: Drawing

    private func draw() {
        let size = terminal.size
        let offset = TimeZone.current.secondsFromGMT()
        let renderer = ScreenRenderer(width: size.width, height: size.height, utcOffset: offset)
        let frame = renderer.render(state, now: now)
        state.atTop = frame.atTop
        paneHeight = frame.paneHeight
        terminal.write(painter.paint(frame))
    }

    /// The member of `room` with this display name; when there is none, says so and gives nil.
    private func member(named name: String, in room: RoomView) -> AccountID? {
        guard let member = room.member(named: name) else {
            state.notice(RoomView.noOneCalled(name), isError: true, at: now)
            return nil
        }
        return member
    }

    private func journal(_ command: JournalCommand) {
        switch command {
        case .add(let kind, let text, let tags, let mood):
            request(
                .journalAdd(.init(kind: kind, text: text, tags: tags.isEmpty ? nil : tags, mood: mood)),
                as: Reply.JournalAdded.self
            ) { added, state in
                state.notice("Kept in your private journal as entry \(added.entry).", at: state.lobbyTime)
            }
        case .list:
            request(.journalList(.init()), as: Reply.Journal.self) { journal, state in
                for line in GoalCard.journalLines(journal.entries) { state.notice(line, at: state.lobbyTime) }
            }
        case .share(let entry):
            guard let current = state.current else { return }
            request(.journalShare(.init(entry: entry, room: current)), as: Reply.Done.self) { _, state in
                state.notice("Entry \(entry) is now shared with this room's facilitators.", at: state.lobbyTime)
            }
        case .month(let month):
            request(.journalSummary(.init(month: month)), as: JournalDigest.self) { digest, state in
                for line in GoalCard.digestLines(digest) { state.notice(line, at: state.lobbyTime) }
            }
        case .shared(let name):
            guard let room = state.currentRoom else { return }
            var member: AccountID?
            if let name {
                guard let found = self.member(named: name, in: room) else { return }
                member = found
            }
            request(.journalShared(.init(room: room.id, member: member)), as: Reply.Journal.self) { journal, state in
                let lines = GoalCard.journalLines(journal.entries) { room.members[$0]?.name }
                for line in lines { state.notice(line, at: state.lobbyTime) }
            }
        }
    }
}

extension ChatState {
    /// "Now" for notices made inside state updates, where the app's clock is out of reach.
    var lobbyTime: Timestamp {
        Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
    }
}

extension Timestamp {
    func adding(milliseconds: Int64) -> Timestamp {
        Timestamp(milliseconds: self.milliseconds + milliseconds)
    }
}
