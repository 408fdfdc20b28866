import CatalyzeCore
import ArgumentParser
import CatalyzeManifest
import CatalyzeModel
import Foundation

/// `catalyze init`: writes a commented starter manifest that validates cleanly.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter pod manifest.")

    @Option(help: "Safeguard profile: hipaa or dev.", completion: Completions.profiles)
    var profile: String = "hipaa"

    @Option(help: "Cloud for the primary region: aws or rax.", completion: Completions.providers)
    var provider: String = "aws"

    @Option(help: "The pod's name (lowercase letters, digits, '-').")
    var name: String = "my-pod"

    @Option(name: [.short, .customLong("output")], help: "Where to write it ('-' for standard output).",
            completion: .file(extensions: ["yaml"]))
    var output: String = "pod.yaml"

    @Flag(help: "Overwrite an existing file.")
    var force = false

    @Flag(help: "Report what was written as JSON (not with -o -, where the manifest itself is the output).")
    var json = false

    /// `init --json`.
    struct Report: Encodable {
        var format_version = JSONFormat.version
        let path: String
        let profile: String
        let provider: String
        let name: String
    }

    func validate() throws {
        if json && output == "-" {
            throw ValidationError("--json reports the file written; with -o - the manifest itself goes to standard output")
        }
        guard Profile(rawValue: profile) != nil else {
            throw ValidationError("--profile must be hipaa or dev, not '\(profile)'")
        }
        guard Provider(rawValue: provider) != nil else {
            throw ValidationError("--provider must be aws or rax, not '\(provider)'")
        }
        let valid = name.count <= 30 && name.first.map { $0.isASCII && $0.isLowercase } == true
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") } && !name.hasSuffix("-")
        guard valid else {
            throw ValidationError("--name '\(name)' must be lowercase letters, digits and '-', starting with a letter, at most 30 characters")
        }
    }

    func run() throws {
        let text = StarterManifest.render(
            profile: Profile(rawValue: profile)!, provider: Provider(rawValue: provider)!, name: name)
        if output == "-" {
            print(text, terminator: "")
            return
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory), isDirectory.boolValue {
            let example = (output.hasSuffix("/") ? output : output + "/") + "pod.yaml"
            printError("error: \(output) is a directory; give the manifest's file path, e.g. -o \(example)")
            throw ExitCode.failure
        }
        if FileManager.default.fileExists(atPath: output) && !force {
            printError("error: \(output) already exists; use --force to overwrite it")
            throw ExitCode.failure
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            printError("error: cannot write \(output): \(PlainWords.fileProblem(error))")
            throw ExitCode.failure
        }
        if json {
            print(try jsonText(Report(path: output, profile: profile, provider: provider, name: name)))
            return
        }
        print("Wrote \(output) (profile \(profile), provider \(provider)). Next: catalyze validate \(output)")
    }
}
