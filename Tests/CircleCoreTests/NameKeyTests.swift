import Testing

@testable import CircleCore

/// No participant can pass for another member, or for a facilitator, by their name.
@Suite struct NameKeyTests {
    @Test func namesThatLookAlikeClash() {
        let lookalikes = [
            "sam", "SAM", "S am", "S\u{00A0}am", "S\u{0430}m",  // Cyrillic a
            "\u{FF33}am",  // fullwidth S
            "\u{1D412}am",  // mathematical bold S
            "Sa\u{200B}m", "Sa\u{FEFF}m",
        ]
        for name in lookalikes {
            #expect(NameKey.clash("Sam", name), "\(name.debugDescription)")
        }
        #expect(NameKey.clash("Ian", "lan"))
        #expect(NameKey.clash("Ian", "ian"))
        #expect(NameKey.clash("B0B", "BOB"))
        #expect(NameKey.clash("Kim", "Kirn"))
        #expect(NameKey.clash("D\u{0430}n\u{0430}", "Dana"))
        for (one, other) in [("Sam", "Sami"), ("ian", "lan"), ("Dana", "Dan"), ("Kim", "Klm"), ("Max 🌱", "Max 🌻")] {
            #expect(!NameKey.clash(one, other), "\(one) / \(other)")
        }
    }

    @Test func aNameMayNotBringARoleMark() {
        for name in ["@Dana", "% Kim", "+Sam", "~Lee", "&Jo", "*Ana", "! Ali", "\u{FF20}Dana", "\u{FE6B}Dana"] {
            guard case .failure(let error) = TextRules.displayName(name) else {
                Issue.record("\(name.debugDescription) was accepted")
                continue
            }
            #expect(error.code == .nameInvalid)
            #expect(error.message.contains("show roles"))
        }
        #expect((try? TextRules.displayName("Sam@home").get()) == "Sam@home")
        #expect((try? TextRules.displayName("Max 🌱").get()) == "Max 🌱")
    }

    @Test func aLookAlikeOfAMembersNameIsRefusedAtRedeem() throws {
        var room = try RoomFixture.ready()
        let invite = RoomFixture.invite
        #expect(room.refusal(.redeem(invite: invite, name: "dana"), by: RoomFixture.sam) == .nameTaken)
        #expect(room.refusal(.redeem(invite: invite, name: "D\u{0430}na"), by: RoomFixture.sam) == .nameTaken)
        #expect(room.refusal(.redeem(invite: invite, name: " D ana "), by: RoomFixture.sam) == .nameTaken)
        #expect(room.refusal(.redeem(invite: invite, name: "@Dana"), by: RoomFixture.sam) == .nameInvalid)
        #expect(room.refusal(.redeem(invite: invite, name: "Dana S."), by: RoomFixture.sam) == nil)
    }
}
