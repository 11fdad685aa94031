import CircleArchive
import CircleCore
import Foundation

/// An archive as people read it: like the minutes of a meeting, in plain text or Markdown, with
/// the check-ins as a table. The sections come in one order whatever the order of the records
/// (agreements, members, conversation, check-ins, journal), and a message a facilitator removed
/// is marked as removed where it stands. Everything stored in the archive is escaped for the
/// terminal it is printed on.
public struct ArchiveTranscript {
    public var markdown: Bool
    private var text: EventText
    private var agreements: [String] = []
    private var members: [String] = []
    private var events: [Event] = []
    private var checkIns: [ArchiveCheckIn] = []
    private var journal: [String] = []
    private var goals: [GoalID: String] = [:]

    public init(markdown: Bool, timeZone: TimeZone = .current) {
        self.markdown = markdown
        text = EventText(timeZone: timeZone)
    }

    /// Reads the archive at `path` and returns the transcript.
    public static func of(path: String, passphrase: String?, markdown: Bool) throws -> String {
        var transcript = ArchiveTranscript(markdown: markdown)
        let result = try ArchiveReader.read(path: path, passphrase: passphrase) { transcript.take($0) }
        return transcript.render(result.header)
    }

    mutating func take(_ record: ArchiveRecord) {
        switch record {
        case .room(let room):
            agreements.append(
                markdown
                    ? "## Agreements (version \(room.agreementsVersion))\n"
                    : "Agreements (version \(room.agreementsVersion)):")
            agreements.append(TerminalText.safeLines(room.agreements))
            agreements.append("")
        case .member(let member):
            text.learn([member])
            members.append((markdown ? "- " : "  ") + TerminalText.safe("\(member.name) (\(member.role.rawValue))"))
        case .goal(let goal):
            goals[goal.id] = goal.text
            text.goals[goal.id] = goal.text
        case .event(let event):
            text.learn(event)
            events.append(event)
        case .checkIn(let checkIn):
            checkIns.append(checkIn)
        case .journal(let entry):
            journal.append((markdown ? "- " : "  ") + GoalCard.journalLines([entry]).joined())
        case .header, .trailer:
            break
        }
    }

    /// Each event's line, a removed message followed by who removed it, when and why.
    private func conversation() -> [String] {
        var removals: [Int64: Event] = [:]
        for event in events {
            if case .messageRemoved(let message, _, _) = event.body { removals[message] = event }
        }
        return events.map { event in
            var line = text.line(event, showRoom: false)
            if let removal = removals[event.seq], case .messageRemoved(_, _, let reason) = removal.body {
                line += TerminalText.safe(
                    "  [removed at \(text.clock(removal.at)) by \(text.name(removal.actor)): \(reason)]")
            }
            // Indented in Markdown: a code block, so that nobody's words are read as formatting.
            return (markdown ? "    " : "  ") + line
        }
    }

    func render(_ header: ArchiveHeader) -> String {
        var out: [String] = []
        let scope =
            switch header.scope {
            case .session: "session \(header.session ?? 0)"
            case .room: "every session"
            case .member: "one member's own record"
            }
        out.append(
            TerminalText.safe(
                markdown ? "# \(header.roomName): \(scope)" : "\(header.roomName) (\(header.room)): \(scope)"))
        let span = [header.from, header.to].compactMap { $0 }.map(date).joined(separator: " to ")
        out.append(
            TerminalText.safe(
                "\(span.isEmpty ? "" : span + ", ")\(header.counts.events) events, written by \(header.server) on "
                    + date(header.createdAt)))
        out.append("")
        out += agreements
        out.append(markdown ? "## Members\n" : "Members:")
        out += members
        if !events.isEmpty {
            out.append("")
            out.append(markdown ? "## Conversation\n" : "Conversation:")
            out += conversation()
        }
        if !checkIns.isEmpty {
            out.append("")
            out.append(markdown ? "## Check-ins\n" : "Check-ins:")
            let rows = checkIns.flatMap { checkIn -> [[String]] in
                let name = text.name(checkIn.member)
                let rest = [
                    checkIn.checkIn.kept.map { $0 == .not ? "not kept" : $0.rawValue } ?? "",
                    checkIn.checkIn.commitment ?? "", checkIn.checkIn.note ?? "",
                ]
                let ratings = checkIn.checkIn.ratings.map { rating in
                    [
                        name, String(checkIn.session), goals[rating.goal] ?? rating.goal.rawValue,
                        "\(rating.progress)/10", rating.gas.map { ($0 > 0 ? "+" : "") + String($0) } ?? "",
                    ]
                }
                let score = checkIn.checkIn.score.map {
                    ["\(checkIn.checkIn.instrument ?? "score") \(RoomNumber.text($0))"]
                }
                let first = (ratings.first ?? [name, String(checkIn.session), "", "", ""]) + rest + (score ?? [""])
                let cells = [first] + ratings.dropFirst().map { $0 + ["", "", "", ""] }
                // Escaped before the columns are measured, so they line up as printed.
                return cells.map { $0.map(TerminalText.safe) }
            }
            out += table(
                [
                    "Member", "Session", "Goal", "Progress", "GAS", "Last commitment", "Next commitment", "Note",
                    "Score",
                ],
                rows)
        }
        if !journal.isEmpty {
            out.append("")
            out.append(markdown ? "## Journal\n" : "Journal:")
            out += journal
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func table(_ head: [String], _ rows: [[String]]) -> [String] {
        if markdown {
            return ["| " + head.joined(separator: " | ") + " |", "|" + head.map { _ in " --- |" }.joined()]
                + rows.map {
                    "| " + $0.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
                }
        }
        let widths = head.indices.map { column in
            ([head] + rows).map { CharacterWidth.of($0[column]) }.max() ?? 0
        }
        func pad(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                cell + String(repeating: " ", count: max(0, widths[index] - CharacterWidth.of(cell)))
            }.joined(separator: "  ").trimmingWhitespace()
        }
        return [pad(head)] + rows.map(pad)
    }

    private func date(_ timestamp: Timestamp) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: Double(timestamp.milliseconds) / 1000))
    }
}
