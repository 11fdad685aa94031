import CircleCore
import Testing

@testable import CircleServer

/// How members' names become nicks: IRC-safe, and never one that could pass for the service
/// or for another member, whatever the case.
@Suite struct IRCNamesTests {
    @Test func aNameBecomesASafeNickAndNoNickPassesForAnother() {
        #expect(IRCNames.nick("Max 🌱") == "Max__")
        #expect(IRCNames.nick("3rd") == "_3rd")
        var state = IRCState()
        let sam = state.nick(AccountID("u-aaaa1111"), name: "Sam")
        let shouting = state.nick(AccountID("u-bbbb2222"), name: "SAM")
        let service = state.nick(AccountID("u-cccc3333"), name: "Circle")
        #expect(sam == "Sam")
        #expect(shouting == "SAM|2222")
        #expect(service == "Circle|3333")
        // Asked again, an account keeps the nick it was first shown under.
        #expect(state.nick(AccountID("u-bbbb2222")) == "SAM|2222")
    }
}
