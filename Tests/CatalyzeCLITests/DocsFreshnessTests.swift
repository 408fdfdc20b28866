import ArgumentParser
@testable import CatalyzeCLI
import CatalyzeTestSupport
import Foundation
import Testing

/// The checked-in completions and man/catalyze.1 match the command tree as it is now.
///
/// The completion scripts and the dump-help JSON come from `CatalyzeCommand` in-process: the
/// `catalyze` binary prints exactly these (its `main` is `CatalyzeCommand.runMain()`, which parses as `main()` does), and this way the
/// test needs neither a built binary nor `swift run`.
@Suite struct DocsFreshnessTests {
    static let regenerate = "stale: run scripts/generate-docs.sh and commit the result"

    static let completionFiles: [(CompletionShell, String)] = [
        (.bash, "completions/catalyze.bash"), (.zsh, "completions/_catalyze"), (.fish, "completions/catalyze.fish"),
    ]

    struct Missing: Error, CustomStringConvertible {
        let file: String
        var description: String { "\(file) is missing: run scripts/generate-docs.sh and commit the result" }
    }

    private static func checkedIn(_ relative: String) throws -> String {
        do {
            return try String(contentsOf: repositoryRoot.appendingPathComponent(relative), encoding: .utf8)
        } catch {
            throw Missing(file: relative)
        }
    }

    private static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while text.last?.isNewline == true { text = text.dropLast() }
        return String(text)
    }

    @Test(arguments: completionFiles)
    func completionScriptIsCurrent(shell: CompletionShell, file: String) throws {
        let current = Self.trimmed(CatalyzeCommand.completionScript(for: shell))
        let saved = Self.trimmed(try Self.checkedIn(file))
        #expect(saved == current, "\(file) is \(Self.regenerate)")
        #expect(current.contains("catalyze"))
    }

    /// EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES are in the manual as ManualSections writes them.
    @Test func manualHoldsTheSectionsFromTheCode() throws {
        let manual = try Self.checkedIn("man/catalyze.1")
        #expect(manual.contains(ManualSections.mdoc), "man/catalyze.1 sections are \(Self.regenerate)")
        for section in [".Sh ENVIRONMENT", ".Sh FILES", ".Sh \"EXIT STATUS\"", ".Sh EXAMPLES"] {
            #expect(manual.components(separatedBy: section + "\n").count == 2, "\(section) once")
        }
        #expect(!manual.contains(".Ex -std"))
        #expect(ManualSections.exitStatuses.map(\.code) == [0, 1, 2, 64])
    }

    /// Every command and option in `--experimental-dump-help` is in the manual, and the manual names none that is gone.
    /// Every environment variable the code reads by a `"CATALYZE_…"` or `"AWS_…"`/`"OS_…"` literal is
    /// in the manual's ENVIRONMENT section (a new one cannot be added without documenting it).
    @Test func environmentSectionNamesEveryVariableTheCodeReads() throws {
        let documented = ManualSections.environment.map(\.name).joined(separator: ", ")
        var read: Set<String> = []
        let sources = repositoryRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        for file in files where file.pathExtension == "swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: /"((?:CATALYZE|AWS|OS)_[A-Z_]+)"/) { read.insert(String(match.1)) }
        }
        let missing = read.filter { !documented.contains($0) }.sorted()
        #expect(read.contains("CATALYZE_REQUEST_TIMEOUT"), "the scan found the variables: \(read.sorted())")
        #expect(missing.isEmpty, "read by Sources but not in ManualSections.environment: \(missing)")
    }

    @Test func manualNamesEveryCommandAndOption() throws {
        let tree = try CommandTree(dumpHelp: CatalyzeCommand._dumpHelp())
        let manual = try ManualEntries(mdoc: Self.checkedIn("man/catalyze.1"))
        #expect(tree.subcommands.count >= 2)
        #expect(!tree.optionNames.isEmpty)
        let missingCommands = tree.subcommands.subtracting(manual.subcommands).sorted()
        let missingOptions = tree.optionNames.subtracting(manual.optionNames).sorted()
        let goneCommands = manual.subcommands.subtracting(tree.subcommands).sorted()
        let goneOptions = manual.optionNames.subtracting(tree.optionNames).sorted()
        #expect(missingCommands.isEmpty, "man/catalyze.1 lacks commands \(missingCommands): \(Self.regenerate)")
        #expect(missingOptions.isEmpty, "man/catalyze.1 lacks options \(missingOptions): \(Self.regenerate)")
        #expect(goneCommands.isEmpty, "man/catalyze.1 names removed commands \(goneCommands): \(Self.regenerate)")
        #expect(goneOptions.isEmpty, "man/catalyze.1 names removed options \(goneOptions): \(Self.regenerate)")
    }
}

/// Subcommand names and option spellings (`--profile`, `-o`) from ArgumentParser's dump-help JSON.
struct CommandTree {
    var subcommands: Set<String> = []
    var optionNames: Set<String> = []

    init(dumpHelp: String) throws {
        let json = try JSONSerialization.jsonObject(with: Data(dumpHelp.utf8))
        let command = try #require((json as? [String: Any])?["command"] as? [String: Any])
        visit(command, isRoot: true)
    }

    private mutating func visit(_ command: [String: Any], isRoot: Bool) {
        if !isRoot, let name = command["commandName"] as? String { subcommands.insert(name) }
        for argument in command["arguments"] as? [[String: Any]] ?? [] {
            guard argument["shouldDisplay"] as? Bool ?? true, argument["kind"] as? String != "positional" else { continue }
            for name in argument["names"] as? [[String: Any]] ?? [] {
                guard let text = name["name"] as? String else { continue }
                switch name["kind"] as? String {
                case "long": optionNames.insert("--" + text)
                case "short": optionNames.insert("-" + text)
                default: optionNames.insert("-" + text)
                }
            }
        }
        for sub in command["subcommands"] as? [[String: Any]] ?? [] { visit(sub, isRoot: false) }
    }
}

/// What an mdoc manual from swift-argument-parser's generate-manual lists: `.It Em NAME` for each
/// subcommand and `.It Fl o , -output Ar output` for each option.
struct ManualEntries {
    var subcommands: Set<String> = []
    var optionNames: Set<String> = []

    init(mdoc: String) {
        for line in mdoc.split(separator: "\n") {
            let words = line.split(separator: " ").map(String.init)
            guard words.first == ".It", words.count > 2 else { continue }
            switch words[1] {
            case "Em":
                for label in words.dropFirst(2) { subcommands.insert(label.trimmingCharacters(in: CharacterSet(charactersIn: ","))) }
            case "Fl":
                for word in words.dropFirst(2).prefix(while: { $0 != "Ar" }) where word != "," {
                    optionNames.insert("-" + word)
                }
            default: continue
            }
        }
    }
}
