import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeState
import CatalyzeTestSupport
import Foundation
import Testing

/// The checked-in bash completion, run as bash runs it: the script is sourced, the completion
/// function called with COMP_WORDS, COMP_CWORD, COMP_LINE and COMP_POINT as the shell sets them
/// and its three arguments (command, current word, previous word), and COMPREPLY read back. Custom
/// completions (lockfile addresses) call the built binary back, so this tests both.
/// The fish script is run too (`complete -C`, fish installed by scripts/setup.sh) for commands and
/// fixed values; fish 3.6 cannot run the custom (address) completions outside an interactive
/// shell (`commandline` refuses), so addresses are tested through bash. zsh is not installed:
/// generate-docs.sh checks its script's syntax where it is.
@Suite struct CompletionTests {
    /// COMPREPLY for the command line `words` (the last word is the one being completed), run in `folder`.
    private func complete(_ words: [String], in folder: TemporaryDirectory) async throws -> [String] {
        let script = repositoryRoot.appendingPathComponent("completions/catalyze.bash").path
        let quoted = ([catalyzeBinary] + words).map { "'\($0)'" }.joined(separator: " ")
        let line = ([catalyzeBinary] + words).joined(separator: " ")
        let all = [catalyzeBinary] + words
        // bash calls the function with the command, the word being completed and the one before it.
        let arguments = [catalyzeBinary, all[all.count - 1], all[all.count - 2]].map { "'\($0)'" }.joined(separator: " ")
        let program = """
            shopt -s extglob
            source '\(script)'
            COMP_WORDS=(\(quoted))
            COMP_CWORD=\(words.count)
            COMP_LINE='\(line)'
            COMP_POINT=${#COMP_LINE}
            _catalyze \(arguments)
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let result = try await runCommand("/bin/bash", ["--norc", "--noprofile", "-c", program], in: folder.url)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    private func lockfile(in folder: TemporaryDirectory, at name: String = "catalyze.lock.json") throws {
        var lockfile = Lockfile.new(pod: "acme", lineage: "11111111-2222-3333-4444-555555555555")
        for (kind, name) in [(ResourceKind.network, "main"), (.instance, "app01"), (.instance, "app02"), (.volume, "db01")] {
            let address = ResourceAddress(region: "primary", kind: kind, name: name)
            lockfile.resources[address] = ResourceRecord(
                address: address, kind: kind, provider: .aws, cloudRegion: "us-east-1", cloudID: "id-\(name)",
                attributes: [:], outputs: [:], dependencies: [], token: "tok-\(name)")
        }
        try FileManager.default.createDirectory(
            atPath: (folder.path(name) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = try FileStateStore(path: folder.path(name)).save(lockfile)
    }

    @Test func subcommandsAreOffered() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-complete")
        defer { folder.remove() }
        let words = try await complete(["st"], in: folder)
        #expect(words == ["state"])
    }

    @Test func enumValuesAreOffered() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-complete")
        defer { folder.remove() }
        #expect(Set(try await complete(["init", "--profile", ""], in: folder)) == ["hipaa", "dev"])
        #expect(Set(try await complete(["init", "--provider", ""], in: folder)) == ["aws", "rax"])
        #expect(Set(try await complete(["access", "expose", ""], in: folder)).isSuperset(of: ["logging", "monitoring"]))
        #expect(try await complete(["access", "conceal", "mon"], in: folder) == ["monitoring"])
    }

    @Test func stateShowOffersTheLockfilesAddresses() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-complete")
        defer { folder.remove() }
        try lockfile(in: folder)
        let all = try await complete(["state", "show", ""], in: folder)
        #expect(all == ["primary/instance.app01", "primary/instance.app02", "primary/network.main", "primary/volume.db01"])
        let some = try await complete(["state", "show", "primary/inst"], in: folder)
        #expect(some == ["primary/instance.app01", "primary/instance.app02"])
    }

    @Test func theLockfileBesideDashFOrAtDashDashStateIsUsed() async throws {
        let folder = try TemporaryDirectory(prefix: "catalyze-complete")
        defer { folder.remove() }
        try lockfile(in: folder, at: "pods/catalyze.lock.json")
        #expect(try await complete(["state", "show", ""], in: folder).isEmpty)  // none in ./
        #expect(try await complete(["state", "show", "-f", "pods/acme.yaml", "primary/vol"], in: folder) == ["primary/volume.db01"])
        #expect(try await complete(["state", "show", "--state", "pods/catalyze.lock.json", "primary/net"], in: folder) == ["primary/network.main"])
    }

    /// What fish offers for `line` (`complete -C`), the candidates without their descriptions.
    private func fishComplete(_ line: String) async throws -> [String] {
        let script = repositoryRoot.appendingPathComponent("completions/catalyze.fish").path
        let fish = "/usr/bin/fish"
        try #require(FileManager.default.isExecutableFile(atPath: fish), "\(fish) is missing: run scripts/setup.sh (it installs fish)")
        let result = try await runCommand(fish, ["--no-config", "-c", "source '\(script)'; complete -C '\(line)'"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
    }

    @Test func fishOffersSubcommandsAndFixedValues() async throws {
        #expect(try await fishComplete("catalyze st") == ["state"])
        #expect(Set(try await fishComplete("catalyze init --profile ")) == ["hipaa", "dev"])
        #expect(Set(try await fishComplete("catalyze init --provider ")) == ["aws", "rax"])
        #expect(try await fishComplete("catalyze access conceal ") == ["logging", "monitoring"])
    }
}
