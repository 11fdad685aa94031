extension RoomState {
    /// Personal and shared goals, and the room's settings for them.
    func decideGoals(_ command: RoomCommand, by caller: Caller, at now: Timestamp) throws(CircleError) -> Decision {
        let facilitating = role(of: caller.account)?.isFacilitating ?? false
        switch command {
        case .setGoal(let member, let text, let horizon, let target, let visibility):
            guard member == caller.account || facilitating else {
                throw CircleError(.forbidden, "You may set only your own goals.")
            }
            guard members[member]?.role == .participant else {
                throw CircleError(.noSuchMember, "Goals belong to participants; \(member) is not one here.")
            }
            try requireRoomForAnotherGoal(member)
            let goal = Goal(
                id: GoalID("g\(goalCount + 1)"), member: member, text: try Self.goalText(text), horizon: horizon,
                target: try Self.targetDate(target), visibility: visibility)
            return .append([event(.goalSet(goal: goal), by: caller, at: now, audience: goal.audience)])

        case .reviseGoal(let id, let text, let horizon, let target, let visibility, let reason):
            let goal = try ownGoal(id, caller: caller, facilitating: facilitating)
            let reason = try TextRules.message(reason).get()
            let revised = Goal(
                id: id, member: goal.member, text: try text.map(Self.goalText) ?? goal.text,
                horizon: horizon ?? goal.horizon,
                target: try target.map { target throws(CircleError) in try Self.targetDate(target) } ?? goal.target,
                visibility: visibility ?? goal.visibility)
            guard
                revised.text != goal.text || revised.horizon != goal.horizon || revised.target != goal.target
                    || revised.visibility != goal.visibility
            else { throw CircleError(.badField, "That revision changes nothing.") }
            // Whoever could see the goal before or after hears of the change.
            let audience = goal.visibility == .group || revised.visibility == .group ? Audience.room : goal.audience
            return .append([
                event(
                    .goalRevised(
                        goal: id, text: revised.text, horizon: revised.horizon, target: revised.target,
                        visibility: revised.visibility, reason: reason), by: caller, at: now, audience: audience)
            ])

        case .setGoalStatus(let id, let status, let reason):
            let goal = try ownGoal(id, caller: caller, facilitating: facilitating)
            guard goal.status != status else {
                throw CircleError(.badField, "That goal is already \(status.rawValue).")
            }
            if status == .active { try requireRoomForAnotherGoal(goal.member) }
            let reason = try reason.map { reason throws(CircleError) in try TextRules.message(reason).get() }
            return .append([
                event(
                    .goalStatusSet(goal: id, status: status, reason: reason), by: caller, at: now,
                    audience: goal.audience)
            ])

        case .addSharedGoal(let text):
            let id = GoalID("g\(goalCount + 1)")
            let text = try Self.goalText(text)
            let body: EventBody =
                facilitating ? .sharedGoalAdded(goal: id, text: text) : .sharedGoalProposed(goal: id, text: text)
            return .append([event(body, by: caller, at: now)])

        case .decideSharedGoal(let id, let accept, let reason):
            guard let shared = sharedGoals.first(where: { $0.id == id }) else {
                throw CircleError(.noSuchGoal, "There is no shared goal \(id) in \(name).")
            }
            guard shared.status == .proposed else {
                throw CircleError(.badField, "Shared goal \(id) is not waiting for a decision.")
            }
            let reason = try reason.map { reason throws(CircleError) in try TextRules.message(reason).get() }
            return .append([event(.sharedGoalDecided(goal: id, accepted: accept, reason: reason), by: caller, at: now)])

        case .configure(let maxGoals, let crossTalk):
            if let maxGoals, !(1...10).contains(maxGoals) {
                throw CircleError(.badField, "A member keeps 1 to 10 active goals; \(maxGoals) was asked.")
            }
            guard maxGoals != nil || crossTalk != nil else { throw CircleError(.missingField, "Nothing to change.") }
            return .append([
                event(
                    .settingsSet(maxGoals: maxGoals ?? maxActiveGoals, crossTalk: crossTalk ?? self.crossTalk),
                    by: caller, at: now)
            ])

        default:
            preconditionFailure("\(command.operation) is not a goal command")
        }
    }

    private func requireRoomForAnotherGoal(_ member: AccountID) throws(CircleError) {
        let active = activeGoals(of: member).count
        guard active < maxActiveGoals else {
            throw CircleError(
                .tooManyGoals,
                "Keep it simple: \(maxActiveGoals) active goals at a time. Mark one achieved, paused or dropped first.")
        }
    }

    private func ownGoal(_ id: GoalID, caller: Caller, facilitating: Bool) throws(CircleError) -> Goal {
        guard let goal = goals[id], goal.member == caller.account || facilitating else {
            throw CircleError(.noSuchGoal, "You have no goal \(id) here.")
        }
        return goal
    }

    static func goalText(_ raw: String) throws(CircleError) -> String {
        try TextRules.line(raw, field: "goal", max: TextRules.maxGoalLength).get()
    }

    /// A `YYYY-MM-DD` date, or nil for an empty string (no target).
    static func targetDate(_ raw: String?) throws(CircleError) -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        let parts = raw.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (2000...2200).contains(year), (1...12).contains(month), (1...Self.days(in: month, of: year)).contains(day)
        else { throw CircleError(.badField, "A target date is written YYYY-MM-DD, such as 2026-12-31.") }
        return raw
    }

    private static func days(in month: Int, of year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
