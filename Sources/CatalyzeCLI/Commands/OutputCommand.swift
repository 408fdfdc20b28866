import ArgumentParser
import CatalyzeCore
import CatalyzeState
import Foundation

/// `catalyze output [NAME]`: the applied pod's endpoints, from the lockfile, for scripts.
struct OutputCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "output",
        abstract: "Print the applied pod's outputs (load balancer endpoints, private addresses) from the lockfile.",
        discussion: """
            Without <name>, one `<name> = <value>` line per output. With <name>, only its value, for scripts: \
            `curl https://$(catalyze output primary.load_balancer)/`. Reads the lockfile only (no cloud call).
            """)

    @Argument(help: ArgumentHelp("One output, e.g. primary.load_balancer or primary.app01.private_ip.", valueName: "name"))
    var name: String?

    @OptionGroup var options: StateOptions

    @Flag(help: "Print JSON (with format_version).")
    var json = false

    /// `output --json`: every output, or the one named.
    struct Document: Encodable {
        var format_version = JSONFormat.version
        let pod: String
        let outputs: [Entry]
    }

    struct Entry: Encodable {
        let name: String
        let value: String
        let address: String
        let description: String
    }

    func run() throws {
        let (store, _, path) = try options.stateStore()
        let lockfile: Lockfile
        do {
            lockfile = try StateCommand.load(store, location: path)
        } catch {
            printError("error: \(error)")
            throw ExitCode.failure
        }
        var outputs = lockfile.outputs
        if let name {
            outputs = outputs.filter { $0.name == name }
            if outputs.isEmpty {
                let known = lockfile.outputs.map(\.name)
                printError("error: \(path): no output named '\(name)' (outputs: \(known.isEmpty ? "none yet; run `catalyze apply`" : known.joined(separator: ", ")))")
                throw ExitCode.failure
            }
        }
        if json {
            let entries = outputs.map { Entry(name: $0.name, value: $0.value, address: $0.address.description, description: $0.summary) }
            print(try jsonText(Document(pod: lockfile.pod, outputs: entries)))
        } else if name != nil {
            print(outputs[0].value)
        } else {
            for output in outputs { print("\(output.name) = \(output.value)") }
        }
    }
}
