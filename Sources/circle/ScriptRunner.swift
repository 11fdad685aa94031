import CircleClient
import CircleCore
import CircleProtocol
import CircleUI
import Foundation

/// The state of one scripted conversation: the current room, names for events, and output.
actor ScriptRunner {
    let connection: CircleConnection
    let json: Bool
    let address: String
    /// The CA file given for a tls:// server, saved with a token an invite brings.
    let caFile: String?
    let output = ScriptOutput()
    var signedIn: Bool
    var room: RoomID?
    var text = EventText()
    var quitting = false
    /// The agreements each joined room reported: (version, text).
    var agreements: [RoomID: (Int, String)] = [:]
    /// What is known of each joined room, to turn members' names into their ids.
    var views: [RoomID: RoomView] = [:]

    init(connection: CircleConnection, json: Bool, address: String, caFile: String?, signedIn: Bool) {
        self.connection = connection
        self.json = json
        self.address = address
        self.caFile = caFile
        self.signedIn = signedIn
    }

    /// Prints what the server pushes until the connection closes.
    func printPushes() async {
        for await frame in connection.pushes {
            switch frame {
            case .event(let event):
                text.learn(event)
                views[event.room]?.learn(event)
                await output.line(json ? Self.encode(EventFrame(event: event)) : text.line(event))
            case .presence(let presence):
                await output.line(json ? Self.encode(PresenceFrame(presence: presence)) : text.line(presence))
            case .purged(let span):
                await output.line(json ? Self.encode(PurgedFrame(purged: span)) : Self.line(span))
            case .bye(let reason):
                await output.line(
                    json
                        ? Self.encode(ErrorFrame(type: "bye", code: reason.code.rawValue, message: reason.message))
                        : TerminalText.safe("* \(reason.message)"))
            case .error(_, let error):
                await output.error("error: \(error.code.rawValue): \(error.message)")
            case .ok, .ping:
                break
            }
        }
    }

    /// Runs one line; false when it failed.
    func run(_ line: String) async -> Bool {
        do {
            switch try SlashCommand.parse(line).get() {
            case .join(let id, let since):
                let joined: Reply.Joined = try await request(.join(.init(room: id, since: since)))
                room = id
                text.learn(joined.members)
                agreements[id] = (joined.agreementsVersion, joined.agreements)
                var view = RoomView(id: id, name: joined.name, role: joined.role)
                view.apply(joined)
                views[id] = view
                if !json {
                    let session = joined.session.map { "session \($0) open" } ?? "no session open"
                    let online = joined.online.map { text.name($0) }.joined(separator: ", ")
                    let summary =
                        "* joined \(joined.name) (\(id)) as \(joined.role.rawValue); \(session); online: \(online)"
                    await output.line(TerminalText.safe(summary))
                }
            case .leave(let id):
                let _: Reply.Done = try await request(.leave(.init(room: try target(id))))
            case .say(let message):
                if case .failure(let error) = TextRules.message(message) { throw ClientError.server(error) }
                let _: Reply.Appended = try await request(
                    .say(.init(room: try target(nil), text: message, cid: UUID().uuidString)))
            case .open(let id):
                let appended: Reply.Appended = try await request(.sessionOpen(.init(room: try target(id))))
                if !json { await output.line("* session opened (#\(appended.seq))") }
            case .close(let id):
                let appended: Reply.Appended = try await request(.sessionClose(.init(room: try target(id))))
                if !json { await output.line("* session closed (#\(appended.seq))") }
            case .history(let limit):
                let page: Reply.History = try await request(.history(.init(room: try target(nil), limit: limit)))
                text.learn(page.members)
                if !json {
                    for item in page.items {
                        switch item {
                        case .event(let event): await output.line(text.line(event))
                        case .purged(let span): await output.line(Self.line(span))
                        }
                    }
                }
            case .rooms:
                let list: Reply.Rooms = try await request(.roomList)
                if !json {
                    for room in list.rooms {
                        // Each field on its own: the tabs between them are the format.
                        let fields = [room.id.rawValue, room.role.rawValue, room.name].map(TerminalText.safe)
                        await output.line(fields.joined(separator: "\t"))
                    }
                }
            case .createRoom(let name):
                let created: Reply.RoomCreated = try await request(.roomCreate(.init(name: name)))
                room = created.room
                if !json { await output.line(created.room.rawValue) }
            case .invite(let uses, let expiresIn, let role):
                let invite: Reply.InviteCreated = try await request(
                    .inviteCreate(.init(room: try target(nil), uses: uses, expiresIn: expiresIn, role: role)))
                if !json { await output.line(invite.code) }
            case .redeem(let code, let name):
                let redeemed: Reply.Redeemed = try await request(.redeem(.init(code: code, name: name)))
                room = redeemed.room
                if let token = redeemed.token {
                    try LoginCommand.save(
                        Credentials.Entry(token: token, account: redeemed.account.id, name: redeemed.account.name),
                        server: address, caFile: caFile)
                }
                if !json { await output.line(redeemed.room.rawValue) }
            case .agreements:
                let (version, words) = agreements[try target(nil)] ?? (0, "")
                if !json { await output.line(TerminalText.safeLines(words) + "\n(version \(version))") }
            case .accept:
                let id = try target(nil)
                guard let (version, _) = agreements[id] else { throw ClientError.usage("/join the room first.") }
                let _: Reply.Appended = try await request(.agreementsAccept(.init(room: id, version: version)))
            case .needHelp(let note):
                let _: Reply.Appended = try await request(.helpSignal(.init(room: try target(nil), note: note)))
                if !json { await output.line("* your facilitators have been told, privately") }
            case .room(let action):
                let id = try target(nil)
                guard let view = views[id] else { throw ClientError.usage("Join \(id) first: /join \(id).") }
                let appended: Reply.Appended = try await request(try action.request(in: view).get())
                if !json { await output.line("* done (#\(appended.seq))") }
            case .progress(let name):
                let id = try target(nil)
                let member = try name.map { name in
                    guard let member = views[id]?.member(named: name) else {
                        throw ClientError.usage(RoomView.noOneCalled(name))
                    }
                    return member
                }
                let progress: MemberProgress = try await request(.progress(.init(room: id, member: member)))
                if !json { for line in GoalCard.lines(progress) { await output.line(line) } }
            case .who:
                let id = try target(nil)
                guard let view = views[id] else { throw ClientError.usage("Join \(id) first: /join \(id).") }
                let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
                for line in view.whoLines(now: now) { await output.line(line) }
            case .stillToGo:
                let id = try target(nil)
                let still: StillToGo = try await request(.roundWho(.init(room: id)))
                if !json { await output.line(views[id]?.stillToGoLine(still) ?? "\(still)") }
            case .overview:
                let overview: Overview = try await request(.overview(.init(room: try target(nil))))
                if !json { for line in GoalCard.overviewLines(overview) { await output.line(line) } }
            case .journal(let command):
                try await journal(command)
            case .original, .side, .note, .notes:
                throw ClientError.usage("That command is for the chat screen.")
            case .setAgreements(let words):
                let _: Reply.Appended = try await request(.agreementsSet(.init(room: try target(nil), text: words)))
            case .ping:
                let _: Reply.Done = try await request(.ping)
                if !json { await output.line("pong") }
            case .wait(let seconds):
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            case .help:
                for entry in SlashCommand.helpEntries { await output.line(entry.line) }
            case .quit:
                quitting = true
            }
            return true
        } catch let error as ClientError {
            if json, case .server(let failure) = error {
                await output.line(
                    Self.encode(ErrorFrame(type: "error", code: failure.code.rawValue, message: failure.message)))
            } else {
                await output.error("error: \(error.description)")
            }
            return false
        } catch {
            await output.error("error: \(error)")
            return false
        }
    }

    private func journal(_ command: JournalCommand) async throws {
        switch command {
        case .add(let kind, let text, let tags, let mood):
            let added: Reply.JournalAdded = try await request(
                .journalAdd(.init(kind: kind, text: text, tags: tags.isEmpty ? nil : tags, mood: mood)))
            if !json { await output.line("* journal entry \(added.entry)") }
        case .list:
            let journal: Reply.Journal = try await request(.journalList(.init()))
            if !json { for line in GoalCard.journalLines(journal.entries) { await output.line(line) } }
        case .share(let entry):
            let _: Reply.Done = try await request(.journalShare(.init(entry: entry, room: try target(nil))))
        case .month(let month):
            let digest: JournalDigest = try await request(.journalSummary(.init(month: month)))
            if !json { for line in GoalCard.digestLines(digest) { await output.line(line) } }
        case .shared(let name):
            let id = try target(nil)
            let member = name.flatMap { views[id]?.member(named: $0) }
            let journal: Reply.Journal = try await request(.journalShared(.init(room: id, member: member)))
            if !json { for line in GoalCard.journalLines(journal.entries) { await output.line(line) } }
        }
    }

    private func target(_ id: RoomID?) throws -> RoomID {
        guard let id = id ?? room else { throw ClientError.usage("No room yet: /join ROOM first.") }
        return id
    }

    /// Sends a request; in JSON mode prints the reply frame as it came.
    private func request<Result: Decodable>(_ request: Request) async throws -> Result {
        let frame = try await connection.send(request)
        if json { await output.line(String(decoding: frame, as: UTF8.self)) }
        return try ServerFrame.result(frame, as: Result.self)
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }

    struct EventFrame: Encodable {
        var type = "event"
        var event: Event
    }

    struct PresenceFrame: Encodable {
        var type = "presence"
        var presence: Presence
    }

    struct PurgedFrame: Encodable {
        var type = "purged"
        var purged: PurgedSpan
    }

    /// A purged span as a script reads it, in the place of its events.
    static func line(_ span: PurgedSpan) -> String {
        TerminalText.safe("* \(span.sentence)")
    }

    struct ErrorFrame: Encodable {
        var type: String
        var code: String
        var message: String
    }
}
