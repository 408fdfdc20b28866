import ArgumentParser
import CatalyzeServe
import Foundation

/// `catalyze serve token add|revoke|list`: the API's bearer tokens.
struct ServeTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Add, revoke and list the HTTP API's bearer tokens (stored as SHA-256 hashes).",
        discussion: """
            A token is shown once, by add; the file keeps only its hash. The server reads the file on every \
            request, so add and revoke take effect at once. To rotate: add a new name, move the client to it, \
            revoke the old name.
            """,
        subcommands: [ServeTokenAddCommand.self, ServeTokenRevokeCommand.self, ServeTokenListCommand.self])
}

/// `serve token add NAME`.
struct ServeTokenAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Make a token for a name and print it (once: only its hash is kept).")

    @Argument(help: "Who holds it (e.g. billing-service): letters, digits, '-', '_', '.'; recorded as the actor of its changes.")
    var name: String

    @OptionGroup var options: ServeTokenOptions

    func validate() throws {
        guard options.tokens != nil else { throw ValidationError("missing --tokens <file>") }
        guard TokenFile.isValidName(name) else { throw ValidationError("token name '\(name.prefix(40))' must be 1–64 letters, digits, '-', '_' or '.'") }
    }

    func run() throws {
        let file = TokenFile(path: options.tokens!)
        let token = try reportingAccessFailures { try file.add(name: name, now: Date()) }
        print(token)
        printError("Token '\(name)' added to \(file.path). It is shown only now: give it to its holder (Authorization: Bearer TOKEN).")
    }
}

/// `serve token revoke NAME`.
struct ServeTokenRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Remove the named token: its next request gets 401.")

    @Argument(help: "The token's name.")
    var name: String

    @OptionGroup var options: ServeTokenOptions

    func validate() throws {
        guard options.tokens != nil else { throw ValidationError("missing --tokens <file>") }
    }

    func run() throws {
        let file = TokenFile(path: options.tokens!)
        try reportingAccessFailures { try file.revoke(name: name) }
        print("Token '\(name)' revoked.")
    }
}

/// `serve token list [--json]`.
struct ServeTokenListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tokens' names and when they were made (never a token).")

    @OptionGroup var options: ServeTokenOptions

    @Flag(help: "Print JSON (with format_version).")
    var json = false

    func validate() throws {
        guard options.tokens != nil else { throw ValidationError("missing --tokens <file>") }
    }

    func run() throws {
        let entries = try reportingAccessFailures { try TokenFile(path: options.tokens!).entries() }
        if json {
            print(try jsonText(TokenListJSON(tokens: entries.map { .init(name: $0.name, created_at: $0.createdAt) })))
            return
        }
        guard !entries.isEmpty else {
            print("No token.")
            return
        }
        for entry in entries { print("\(entry.name)  \(entry.createdAt)") }
    }
}

/// `serve token list --json`.
struct TokenListJSON: Encodable {
    struct Token: Encodable {
        let name: String
        let created_at: String
    }

    var format_version = JSONFormat.version
    let tokens: [Token]
}
