import ArgumentParser
import CatalyzeCore
import CatalyzePlanner

/// `catalyze graph`: the pod's resources and their dependencies as Graphviz DOT.
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Print the pod's resource dependency graph as DOT (pipe it to `dot -Tsvg`).")

    @Option(name: [.short, .customLong("file")], help: "The pod manifest.", completion: .file(extensions: ["yaml", "yml"]))
    var file: String = "pod.yaml"

    @Flag(help: "Print the resources and their dependencies as JSON instead of DOT.")
    var json = false

    /// `graph --json`: every resource the manifest makes, sorted, with what it depends on.
    struct Document: Encodable {
        var format_version = JSONFormat.version
        let pod: String
        let resources: [Resource]

        struct Resource: Encodable {
            let address: String
            let kind: String
            let provider: String
            let cloud_region: String
            let depends_on: [String]
        }
    }

    func run() throws {
        var options = try PodOptions.parse([])
        options.file = file
        let session = try Session(options)
        let specs = DesiredState(manifest: session.manifest, placements: [:], zones: [:], sshCA: "").resources()
        if json {
            let resources = specs.sorted { $0.address < $1.address }.map {
                Document.Resource(
                    address: $0.address.description, kind: $0.kind.rawValue, provider: $0.provider.rawValue,
                    cloud_region: $0.cloudRegion, depends_on: $0.dependencies.sorted().map(\.description))
            }
            print(try jsonText(Document(pod: session.manifest.pod.name, resources: resources)))
            return
        }
        print(DependencyGraph.dot(specs))
    }
}
