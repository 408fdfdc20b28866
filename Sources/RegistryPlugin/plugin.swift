import Foundation
import PackagePlugin

/// Generates a target's registries (`RegistryGenerator`) from its Swift sources before it compiles:
/// the lists of every resource kind, every handler of a cloud, every kind's desire and every cloud.
@main
struct RegistryPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let sources = module.sourceFiles(withSuffix: "swift").map(\.url).sorted { $0.path < $1.path }
        let output = context.pluginWorkDirectoryURL.appending(path: "Registry.swift")
        return [
            .buildCommand(
                displayName: "Registry of \(target.name)", executable: try context.tool(named: "RegistryGenerator").url,
                arguments: [output.path] + sources.map(\.path), inputFiles: sources, outputFiles: [output]),
        ]
    }
}
