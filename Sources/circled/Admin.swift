import ArgumentParser
import CircleCore
import CircleServer
import CircleStore
import Foundation

/// `circled admin`: the operator's account tools. Safe to run while the server runs.
struct Admin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage accounts.", subcommands: [AddFacilitator.self, Revoke.self])

    struct AddFacilitator: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a facilitator account and print its token (shown once) on stdout.")

        @Argument(help: "The facilitator's display name.")
        var name: String

        @OptionGroup var dataOptions: DataOptions

        func run() throws {
            let store = try Store(folder: dataOptions.folder())
            defer { store.close() }
            let (account, token) = try store.createAccount(name: name, kind: .facilitator, at: SystemClock().now())
            print(token)
            FileHandle.standardError.write(
                Data(
                    """
                    Created facilitator \(account.name) (\(account.id)).
                    The token above is shown once and stored only as a hash: keep it safe, e.g.
                      export CIRCLE_TOKEN=<token>   or   circle login <token>

                    """.utf8))
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a token, or every token of an account; a running server cuts them off within seconds.")

        @Option(help: "The token to revoke.") var token: String?
        @Option(help: "Revoke every token of this account id.") var account: String?
        @OptionGroup var dataOptions: DataOptions

        func validate() throws {
            guard (token == nil) != (account == nil) else { throw ValidationError("Give --token or --account.") }
        }

        func run() throws {
            let store = try Store(folder: dataOptions.folder())
            defer { store.close() }
            let count = try store.revokeTokens(
                token: token, account: account.map(AccountID.init), by: nil, at: SystemClock().now())
            guard count > 0 else {
                FileHandle.standardError.write(Data("circled: no such token, or already revoked\n".utf8))
                throw ExitCode.failure
            }
            print("revoked \(count) token\(count == 1 ? "" : "s")")
        }
    }
}
