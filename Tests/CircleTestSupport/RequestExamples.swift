import CircleCore
import CircleProtocol

/// One request of every kind a client may send (and two of a `dm`, to the facilitators and to
/// one member), with every optional field set somewhere: for tests that must cover them all.
public enum RequestExamples {
    static let room = RoomID("r-1")

    public static let all: [Request] = [
        .hello(.init(protocol: 1, client: "test", token: "ct_x")), .ping,
        .redeem(.init(code: "AB-CD", name: "Sam")),
        .roomCreate(.init(name: "Group")), .roomList,
        .inviteCreate(.init(room: room, uses: 3, expiresIn: 60, role: .observer)),
        .sessionOpen(.init(room: room)), .sessionClose(.init(room: room)), .join(.init(room: room, since: 4)),
        .leave(.init(room: room)), .say(.init(room: room, text: "hi", cid: "c1")),
        .history(.init(room: room, before: 9, limit: 5)), .auditList(.init(room: room, limit: 3)),
        .agreementsSet(.init(room: room, text: "Be kind.")), .agreementsAccept(.init(room: room, version: 2)),
        .helpSignal(.init(room: room, note: "now")),
        .memberMute(.init(room: room, member: AccountID("u-2"), duration: 60, reason: "pause")),
        .memberUnmute(.init(room: room, member: AccountID("u-2"))),
        .memberRole(.init(room: room, member: AccountID("u-2"), role: .observer)),
        .memberKick(.init(room: room, member: AccountID("u-2"), reason: "a break")),
        .memberBan(.init(room: room, member: AccountID("u-2"), reason: "threats")),
        .memberUnban(.init(room: room, member: AccountID("u-2"))),
        .messageRemove(.init(room: room, seq: 4, reason: "an address")),
        .messageOriginal(.init(room: room, seq: 4)),
        .roomLock(.init(room: room)), .roomUnlock(.init(room: room)), .roomTopic(.init(room: room, text: "Sleep")),
        .floorSet(.init(room: room, mode: .slow, seconds: 30)), .handRaise(.init(room: room)),
        .handLower(.init(room: room, member: AccountID("u-2"))),
        .floorGive(.init(room: room, member: AccountID("u-2"), duration: 90)),
        .dmAllow(.init(room: room, allowed: true)),
        .dm(.init(room: room, to: AccountID("u-2"), text: "hi", cid: "c2")), .dm(.init(room: room, text: "help")),
        .sideOpen(.init(room: room, member: AccountID("u-2"))),
        .noteAdd(.init(room: room, member: AccountID("u-2"), text: "seemed tired")),
        .noteList(.init(room: room, member: AccountID("u-2"))),
        .goalSet(.init(room: room, text: "Walk", horizon: .long, target: "2027-01-31", visibility: .facilitators)),
        .goalRevise(.init(room: room, goal: GoalID("g1"), text: "Walk more", reason: "easy")),
        .goalStatus(.init(room: room, goal: GoalID("g1"), status: .achieved)),
        .sharedGoalAdd(.init(room: room, text: "Start on time")),
        .sharedGoalDecide(.init(room: room, goal: GoalID("g2"), accept: false, reason: "later")),
        .roomSettings(.init(room: room, maxGoals: 2, crossTalk: .allowed)),
        .roundStart(
            .init(
                room: room, kind: .checkOut, prompt: "One word", order: .listed, members: [AccountID("u-2")],
                turnSeconds: 120, instrument: "gad7")),
        .roundPass(.init(room: room)),
        .checkIn(
            .init(
                room: room, ratings: [.init(goal: GoalID("g1"), progress: 7, gas: 1)], answers: [0, 1],
                note: "ok", kept: .partly, commitment: "walk")),
        .roundSkip(.init(room: room)), .roundExtend(.init(room: room, seconds: 60)), .roundClose(.init(room: room)),
        .roundWho(.init(room: room)),
        .attendanceSet(.init(room: room, member: AccountID("u-2"), status: .excused)),
        .progress(.init(room: room)), .overview(.init(room: room)),
        .journalAdd(.init(kind: .trigger, text: "crowds", tags: ["crowds"], mood: 4)),
        .journalList(.init(limit: 5)), .journalShare(.init(entry: 42, room: room)),
        .journalSummary(.init(month: "2026-11")), .journalShared(.init(room: room, member: AccountID("u-2"))),
        .archiveExport(.init(room: room, session: 2)), .archiveMine(.init(room: room)),
        .archiveRead(.init(room: room, file: "session-2.circle.gz", offset: 32768)), .tokenRevoke,
    ]
}
