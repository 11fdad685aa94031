import CircleCore

extension SlashCommand {
    /// The help lines for goals, rounds, check-ins and the journal.
    static let trackingHelp: [(line: String, operation: CommandName?)] = [
        ("/goal [long] [private] [by=YYYY-MM-DD] TEXT  set a personal goal", .goalSet),
        ("/goal done|pause|drop|resume ID  change a goal's status", .goalStatus),
        ("/revise ID NEW WORDING | WHY      reword a goal (the old wording is kept)", .goalRevise),
        ("/goals [NAME]              your goal card: goals, trend, last commitment", .progress),
        ("/shared TEXT               add (or propose) a shared goal", .sharedGoalAdd),
        ("/shared accept|decline ID  decide a proposed shared goal", .sharedGoalDecide),
        ("/round [checkout] [random] [SECONDS] [phq9|gad7|…] PROMPT  start a round", .roundStart),
        ("/checkin g1=6 [g2=4/+1] [kept=yes|partly|no] [answers=0,1,…] [| NEXT COMMITMENT [| NOTE]]", .checkIn),
        ("/round who                 who has not had their turn yet", .roundWho),
        ("/pass                      pass your turn", .roundPass),
        ("/skip, /extend SECONDS, /endround  steer the round", .roundSkip),
        ("/attendance NAME present|late|absent|excused", .attendanceSet),
        ("/overview                  every member's ratings, attendance and flags", .overview),
        ("/settings goals N | crosstalk allowed|refused", .roomSettings),
        (
            "/journal KIND TEXT [#tag…] [mood=N]  a private entry (episode, trigger, what-helped, win, note)",
            .journalAdd
        ),
        ("/journal [list] | share ID | month YYYY-MM  read, share with the facilitators, summarise", .journalList),
        ("/journal shared [NAME]     entries members shared with this room", .journalShared),
    ]

    /// Parses the tracking commands; nil when `verb` is not one of them.
    static func parseTracking(_ verb: String, _ arguments: [String]) -> Result<SlashCommand, UsageError>? {
        let rest = arguments.joined(separator: " ")
        switch verb {
        case "goal": return parseGoal(arguments)
        case "goals", "progress":
            guard arguments.count <= 1 else { return usage("Usage: /goals [NAME]") }
            return .success(.progress(name: arguments.first))
        case "revise":
            let parts = rest.split(separator: "|", maxSplits: 1).map { String($0).trimmingWhitespace() }
            guard parts.count == 2, let first = arguments.first, !parts[1].isEmpty else {
                return usage("Usage: /revise ID NEW WORDING | WHY")
            }
            let text = String(parts[0].dropFirst(first.count)).trimmingWhitespace()
            guard !text.isEmpty else { return usage("Usage: /revise ID NEW WORDING | WHY") }
            return .success(.room(.reviseGoal(GoalID(first), text: text, reason: parts[1])))
        case "shared":
            if let first = arguments.first?.lowercased(), ["accept", "decline"].contains(first) {
                guard arguments.count == 2 else { return usage("Usage: /shared \(first) ID") }
                return .success(.room(.decideSharedGoal(GoalID(arguments[1]), accept: first == "accept")))
            }
            guard !rest.isEmpty else { return usage("Usage: /shared TEXT") }
            return .success(.room(.sharedGoal(rest)))
        // A prompt is more than the one word, so "/round who" is always the question.
        case "round" where arguments.map({ $0.lowercased() }) == ["who"]: return .success(.stillToGo)
        case "round": return parseRound(arguments)
        case "pass": return .success(.room(.pass))
        case "skip": return .success(.room(.skip))
        case "endround": return .success(.room(.closeRound))
        case "extend":
            guard arguments.count == 1, let seconds = DurationText.seconds(arguments[0]) else {
                return usage("Usage: /extend SECONDS (or 2m)")
            }
            return .success(.room(.extend(seconds: Int(seconds))))
        case "checkin": return parseCheckIn(rest)
        case "attendance":
            guard arguments.count == 2, let status = Attendance(rawValue: arguments[1].lowercased()) else {
                return usage("Usage: /attendance NAME present|late|absent|excused")
            }
            return .success(.room(.attendance(name: arguments[0], status)))
        case "overview": return .success(.overview)
        case "settings":
            guard arguments.count == 2 else { return usage("Usage: /settings goals N | crosstalk allowed|refused") }
            switch arguments[0].lowercased() {
            case "goals":
                guard let count = Int(arguments[1]) else { return usage("Usage: /settings goals N") }
                return .success(.room(.settings(maxGoals: count, crossTalk: nil)))
            case "crosstalk":
                guard let value = CrossTalk(rawValue: arguments[1].lowercased()) else {
                    return usage("Usage: /settings crosstalk allowed|refused")
                }
                return .success(.room(.settings(maxGoals: nil, crossTalk: value)))
            default:
                return usage("Usage: /settings goals N | crosstalk allowed|refused")
            }
        case "journal": return parseJournal(arguments)
        default: return nil
        }
    }

    private static func parseGoal(_ arguments: [String]) -> Result<SlashCommand, UsageError> {
        let statuses: [String: Goal.Status] = [
            "done": .achieved, "achieved": .achieved, "pause": .paused, "drop": .dropped, "resume": .active,
        ]
        if let first = arguments.first?.lowercased(), let status = statuses[first] {
            guard arguments.count == 2 else { return usage("Usage: /goal \(first) ID") }
            return .success(.room(.goalStatus(GoalID(arguments[1]), status)))
        }
        var horizon = Goal.Horizon.short
        var visibility = Goal.Visibility.group
        var target: String?
        var words = arguments[...]
        while let word = words.first {
            let lower = word.lowercased()
            if lower == "long" || lower == "short" {
                horizon = lower == "long" ? .long : .short
            } else if lower == "private" {
                visibility = .facilitators
            } else if lower.hasPrefix("by=") {
                target = String(word.dropFirst(3))
            } else {
                break
            }
            words = words.dropFirst()
        }
        guard !words.isEmpty else { return usage("Usage: /goal [long] [private] [by=YYYY-MM-DD] TEXT") }
        return .success(
            .room(.goal(text: words.joined(separator: " "), horizon: horizon, visibility: visibility, target: target)))
    }

    private static func parseRound(_ arguments: [String]) -> Result<SlashCommand, UsageError> {
        var kind = Round.Kind.checkIn
        var order = Round.Order.joined
        var seconds: Int?
        var instrument: String?
        var words = arguments[...]
        while let word = words.first {
            let lower = word.lowercased()
            if lower == "checkin" || lower == "check-in" {
                kind = .checkIn
            } else if lower == "checkout" || lower == "check-out" {
                kind = .checkOut
            } else if lower == "random" {
                order = .random
            } else if let duration = DurationText.seconds(lower), lower.first?.isNumber == true {
                seconds = Int(duration)
            } else if ["phq9", "gad7"].contains(lower) || lower.hasPrefix("instrument=") {
                instrument = lower.hasPrefix("instrument=") ? String(lower.dropFirst(11)) : lower
            } else {
                break
            }
            words = words.dropFirst()
        }
        guard !words.isEmpty else {
            return usage("Usage: /round [checkout] [random] [SECONDS] [phq9|gad7|instrument=ID] PROMPT")
        }
        return .success(
            .room(
                .startRound(
                    kind: kind, order: order, seconds: seconds, instrument: instrument,
                    prompt: words.joined(separator: " "))))
    }

    /// `/checkin g1=6 g2=4/+1 kept=partly answers=0,1,0 | next commitment | note`
    static func parseCheckIn(_ rest: String) -> Result<SlashCommand, UsageError> {
        let segments = rest.split(separator: "|", omittingEmptySubsequences: false).map {
            String($0).trimmingWhitespace()
        }
        var checkIn = CheckIn()
        for token in segments[0].split(separator: " ").map(String.init) {
            let pair = token.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else {
                return usage("'\(token)' is not KEY=VALUE; e.g. g1=6, kept=partly, answers=0,1,2")
            }
            switch pair[0].lowercased() {
            case "kept":
                let values: [String: CheckIn.Kept] = [
                    "yes": .kept, "kept": .kept, "partly": .partly, "no": .not, "not": .not,
                ]
                guard let kept = values[pair[1].lowercased()] else { return usage("kept is yes, partly or no.") }
                checkIn.kept = kept
            case "answers":
                let answers = pair[1].split(separator: ",").compactMap { Int($0) }
                guard answers.count == pair[1].split(separator: ",").count, !answers.isEmpty else {
                    return usage("answers are whole numbers separated by commas, e.g. answers=0,1,2")
                }
                checkIn.answers = answers
            default:
                let scores = pair[1].split(separator: "/").map(String.init)
                guard let progress = Int(scores[0]), scores.count <= 2 else {
                    return usage("Rate a goal as ID=PROGRESS or ID=PROGRESS/GAS, e.g. g1=6 or g1=6/+1.")
                }
                var gas: Int?
                if scores.count == 2 {
                    guard let value = Int(scores[1].trimmingPrefix("+")) else {
                        return usage("A GAS score is -2 to +2, e.g. g1=6/+1.")
                    }
                    gas = value
                }
                checkIn.ratings.append(CheckIn.Rating(goal: GoalID(pair[0]), progress: progress, gas: gas))
            }
        }
        if segments.count > 1, !segments[1].isEmpty { checkIn.commitment = segments[1] }
        if segments.count > 2 {
            let note = segments.dropFirst(2).joined(separator: " | ")
            if !note.isEmpty { checkIn.note = note }
        }
        return .success(.room(.checkIn(checkIn)))
    }

    private static func parseJournal(_ arguments: [String]) -> Result<SlashCommand, UsageError> {
        guard let first = arguments.first?.lowercased() else { return .success(.journal(.list)) }
        switch first {
        case "list":
            return .success(.journal(.list))
        case "share":
            guard arguments.count == 2, let entry = Int64(arguments[1]) else {
                return usage("Usage: /journal share ID")
            }
            return .success(.journal(.share(entry)))
        case "month", "summary":
            guard arguments.count == 2 else { return usage("Usage: /journal month YYYY-MM") }
            return .success(.journal(.month(arguments[1])))
        case "shared":
            return .success(.journal(.shared(name: arguments.count > 1 ? arguments[1] : nil)))
        default:
            let kinds: [String: JournalKind] = [
                "episode": .episode, "trigger": .trigger, "helped": .helped, "what-helped": .helped, "win": .win,
                "note": .note,
            ]
            guard let kind = kinds[first] else {
                return usage("A journal entry is an episode, trigger, what-helped, win or note: /journal win TEXT")
            }
            var tags: [String] = []
            var mood: Int?
            var words: [String] = []
            for word in arguments.dropFirst() {
                if word.hasPrefix("#"), word.count > 1 {
                    tags.append(String(word.dropFirst()))
                } else if word.lowercased().hasPrefix("mood="), let value = Int(word.dropFirst(5)) {
                    mood = value
                } else {
                    words.append(word)
                }
            }
            guard !words.isEmpty else { return usage("Usage: /journal \(first) TEXT [#tag…] [mood=N]") }
            return .success(.journal(.add(kind, text: words.joined(separator: " "), tags: tags, mood: mood)))
        }
    }

    private static func usage(_ message: String) -> Result<SlashCommand, UsageError> {
        .failure(UsageError(message))
    }
}

/// What `/journal` does.
public enum JournalCommand: Hashable, Sendable {
    case add(JournalKind, text: String, tags: [String], mood: Int?)
    case list
    case share(Int64)
    case month(String)
    /// Entries shared with the current room, by one member or all (facilitators).
    case shared(name: String?)
}
