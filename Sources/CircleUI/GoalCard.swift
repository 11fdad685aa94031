import CircleCore

/// The lines a member sees when their turn begins, and with /goals: each active goal with its
/// trend and last rating, and the commitment they made last time. Every line is safe to print:
/// goals, commitments and journal entries are members' words, escaped here once for every caller.
public enum GoalCard {
    public static func lines(_ progress: MemberProgress, shared: [SharedGoal] = []) -> [String] {
        var lines: [String] = []
        let active = progress.goals.filter { $0.goal.status == .active }
        if active.isEmpty { lines.append("You have no active goals yet: /goal TEXT sets one.") }
        for trend in active {
            let goal = trend.goal
            var line = "\(goal.id.rawValue) \(goal.text) (\(goal.horizon.rawValue)-term"
            if let target = goal.target { line += ", by \(target)" }
            if goal.visibility == .facilitators { line += ", facilitators only" }
            line += ")"
            if let last = trend.points.last {
                line += " last \(last.progress)/10 " + Sparkline.of(trend.points.map(\.progress))
            }
            lines.append(line)
        }
        for trend in progress.goals where trend.goal.status != .active {
            lines.append("\(trend.goal.id.rawValue) \(trend.goal.text): \(trend.goal.status.rawValue)")
        }
        if let commitment = progress.commitments.last {
            lines.append("Last commitment (session \(commitment.session)): \(commitment.text)")
        }
        let kept = progress.commitments.compactMap(\.kept)
        if !kept.isEmpty {
            let count = kept.filter { $0 == .kept }.count
            lines.append("Commitments kept: \(count) of \(kept.count)")
        }
        if !progress.attendance.isEmpty {
            let came = progress.attendance.filter { $0.status == .present || $0.status == .late }.count
            lines.append("Sessions attended: \(came) of \(progress.attendance.count)")
        }
        let group = shared.filter { $0.status == .active }.map(\.text)
        if !group.isEmpty { lines.append("The group's goals: " + group.joined(separator: "; ")) }
        return lines.map(TerminalText.safe)
    }
}

extension GoalCard {
    /// The facilitators' overview, one line per member, flags named by rule.
    public static func overviewLines(_ overview: Overview) -> [String] {
        guard !overview.lines.isEmpty else { return ["No participants yet."] }
        return overview.lines.map { line in
            var text = "\(line.name): "
            text += line.latest.map { "latest \(RoomNumber.text($0))/10" } ?? "no ratings yet"
            if let change = line.change { text += " (\(RoomNumber.signed(change)))" }
            text += ", attended \(line.attended) of \(line.sessions)"
            if !line.flags.isEmpty {
                text += " ⚑ " + line.flags.map { "\($0.rule): \($0.detail)" }.joined(separator: "; ")
            }
            return TerminalText.safe(text)
        }
    }

    /// Journal entries, one line each, oldest first.
    public static func journalLines(_ entries: [JournalEntry], name: (AccountID) -> String? = { _ in nil }) -> [String]
    {
        guard !entries.isEmpty else { return ["No journal entries."] }
        return entries.map { entry in
            var text = "[\(entry.id)] \(entry.kind.rawValue)"
            if let author = name(entry.author) { text += " by \(author)" }
            text += ": \(entry.text)"
            if !entry.tags.isEmpty { text += " " + entry.tags.map { "#\($0)" }.joined(separator: " ") }
            if let mood = entry.mood { text += " (mood \(mood))" }
            if !entry.sharedWith.isEmpty { text += " (shared)" }
            return TerminalText.safe(text)
        }
    }

    /// A month's digest in a few lines.
    public static func digestLines(_ digest: JournalDigest) -> [String] {
        var lines = [
            "\(digest.month): \(digest.entries) entries, \(digest.episodes) episodes, \(digest.wins) wins"
                + (digest.meanMood.map { ", mean mood \(RoomNumber.text($0))" } ?? "")
        ]
        if !digest.topTriggers.isEmpty {
            lines.append(
                "Top triggers: " + digest.topTriggers.map { "\($0.text) (\($0.count))" }.joined(separator: ", "))
        }
        if !digest.whatHelped.isEmpty {
            lines.append("What helped: " + digest.whatHelped.map { "\($0.text) (\($0.count))" }.joined(separator: ", "))
        }
        return lines.map(TerminalText.safe)
    }
}
