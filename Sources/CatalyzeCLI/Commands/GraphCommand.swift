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

    func run() throws {
        var options = try PodOptions.parse([])
        options.file = file
        let session = try Session(options)
        let specs = DesiredState(manifest: session.manifest, placements: [:], zones: [:], sshCA: "").resources()
        print(DependencyGraph.dot(specs))
    }
}
