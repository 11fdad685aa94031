extension RoomState {
    /// A member's progress: every goal with its trend, commitments, attendance and scores.
    public func progress(of member: AccountID, instruments: InstrumentCatalog = .builtIn) -> MemberProgress {
        let record = records[member] ?? MemberRecord()
        let owned = goals.values.filter { $0.member == member }.sorted {
            ($0.status != .active ? 1 : 0, Int($0.id.rawValue.dropFirst()) ?? 0)
                < ($1.status != .active ? 1 : 0, Int($1.id.rawValue.dropFirst()) ?? 0)
        }
        let trends = owned.map { goal in
            MemberProgress.GoalTrend(
                goal: goal,
                points: record.checkIns.compactMap { entry in
                    entry.checkIn.ratings.first { $0.goal == goal.id }.map {
                        MemberProgress.Point(session: entry.session, progress: $0.progress, gas: $0.gas)
                    }
                })
        }
        var commitments: [MemberProgress.Commitment] = []
        for entry in record.checkIns {
            if let kept = entry.checkIn.kept, let last = commitments.indices.last,
                commitments[last].session < entry.session
            {
                commitments[last].kept = kept
            }
            if let text = entry.checkIn.commitment {
                commitments.append(MemberProgress.Commitment(session: entry.session, text: text, kept: nil))
            }
        }
        return MemberProgress(
            member: member, goals: trends, commitments: commitments,
            attendance: record.attendance.sorted { $0.key < $1.key }.map {
                MemberProgress.Presence(session: $0.key, status: $0.value)
            },
            scores: record.checkIns.compactMap { entry in
                guard let instrument = entry.checkIn.instrument, let total = entry.checkIn.score else { return nil }
                return MemberProgress.Score(session: entry.session, instrument: instrument, total: total)
            },
            instrument: round?.instrument.flatMap { instruments[$0] })
    }

    /// Every participant's line for the facilitators, flags included.
    public func overview(instruments: InstrumentCatalog = .builtIn) -> Overview {
        let lines = memberOrder.compactMap { id -> Overview.Line? in
            guard let member = members[id], member.role == .participant else { return nil }
            let record = records[id] ?? MemberRecord()
            let rated = record.checkIns.filter { $0.checkIn.meanProgress != nil }
            let latest = rated.last
            let before = latest.flatMap { last in rated.last { $0.session < last.session } }
            let change = zip(latest?.checkIn.meanProgress, before?.checkIn.meanProgress).map { $0 - $1 }
            let attended = record.attendance.values.filter { $0 == .present || $0 == .late }.count
            return Overview.Line(
                member: id, name: member.name, latest: latest?.checkIn.meanProgress, change: change, attended: attended,
                sessions: record.attendance.count, flags: flags(for: record, instruments: instruments))
        }
        return Overview(lines: lines)
    }

    /// The "not on track" rules, each naming itself.
    func flags(for record: MemberRecord, instruments: InstrumentCatalog) -> [Overview.Flag] {
        var flags: [Overview.Flag] = []
        let scored = record.checkIns.compactMap { entry -> (String, Double)? in
            guard let instrument = entry.checkIn.instrument, let score = entry.checkIn.score else { return nil }
            return (instrument, score)
        }
        for id in Set(scored.map(\.0)).sorted() {
            guard let instrument = instruments[id] else { continue }
            let totals = scored.filter { $0.0 == id }.map(\.1)
            guard let last = totals.last else { continue }
            if totals.count >= 2, let threshold = instrument.reliableChange {
                let previous = totals[totals.count - 2]
                if instrument.isWorse(last, than: previous), abs(last - previous) >= threshold {
                    flags.append(
                        .init(
                            rule: "reliable_drop",
                            detail: "\(instrument.name) went from \(Self.number(previous)) to \(Self.number(last)), "
                                + "at least its reliable change of \(Self.number(threshold))"))
                }
            }
            if let cutoff = instrument.cutoff, instrument.isWorse(last, than: cutoff, orEqual: true) {
                flags.append(
                    .init(
                        rule: "cutoff",
                        detail:
                            "\(instrument.name) \(Self.number(last)) is at or past its cutoff of \(Self.number(cutoff))"
                    ))
            }
        }
        var sessions: [Int: Double] = [:]
        for entry in record.checkIns { if let mean = entry.checkIn.meanProgress { sessions[entry.session] = mean } }
        let ordered = sessions.sorted { $0.key < $1.key }
        if ordered.count >= 3, let first = ordered.first?.value, let last = ordered.last?.value, last <= first {
            flags.append(
                .init(
                    rule: "no_gain",
                    detail:
                        "no gain in goal progress by the third session (\(Self.number(first)) → \(Self.number(last)))"))
        }
        let attendance = record.attendance.sorted { $0.key < $1.key }.map(\.value)
        if attendance.count >= 2, attendance.suffix(2).allSatisfy({ $0 == .absent }) {
            flags.append(.init(rule: "absences", detail: "absent from the last two sessions"))
        }
        let kept = record.checkIns.compactMap(\.checkIn.kept)
        if kept.count >= 2, kept.suffix(2).allSatisfy({ $0 == .not }) {
            flags.append(.init(rule: "unkept", detail: "the last two commitments were not kept"))
        }
        return flags
    }

    /// A figure as people write it: 12, or 12.5.
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String((value * 10).rounded() / 10)
    }
}

/// Both values, when both are there.
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
