import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import CatalyzeManifest
import CatalyzePlanner
import CatalyzeState
import Foundation
import Synchronization

/// `catalyze access push-krl`: deliver the current revocation list to the pod's running hosts.
struct AccessPushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push-krl",
        abstract: "Push the current revocation list to the pod's running hosts, over SSH, with a 5-minute certificate.",
        discussion: """
            Signs, with the customer's CA, a certificate valid for 5 minutes for the principals \
            krl@<pod>.<region>.<container> and krl@<pod>-<container> (hosts made before 0.2.0) of every container. Hosts accept it only for the catalyze-krl account and only \
            to run their KRL installer (restrict,command= in their principals file): it reads the KRL from \
            standard input, checks it and swaps it in. Hosts are the instances in the lockfile (their private \
            addresses, reached over the pod's VPN) unless --host names them. Host keys are remembered in \
            catalyze.access.known_hosts beside the lockfile. Exits 1 when any host did not take it. \
            Every host is tried at once; each gets --connect-timeout seconds to accept the connection and \
            finish the SSH handshake (ssh ConnectTimeout), and once connected is dropped when it leaves one \
            keep-alive of that length unanswered (ServerAliveInterval, ServerAliveCountMax=1), so a silent \
            host fails within about twice --connect-timeout.
            """)

    @OptionGroup var options: AccessOptions
    @OptionGroup var push: PushOptions

    func run() throws {
        let failed = try push.run(options)
        if failed { throw ExitCode.failure }
    }
}

/// The options of a KRL push (`access push-krl`, `access revoke --push`).
struct PushOptions: ParsableArguments {
    @Option(help: "The customer's CA private key (the one the grants were signed with).", completion: .file())
    var ca: String?

    @Option(name: .customLong("host"), help: "A host to push to, <address>[:<port>] (repeatable; default: the lockfile's instances).")
    var hosts: [String] = []

    @Option(help: "The pod's name (default: pod.name from the manifest).")
    var pod: String?

    @Option(name: .customLong("container"), help: "A container whose hosts take the push (repeatable; default: every container).")
    var containers: [String] = []

    @Option(name: .customLong("region"), help: "A manifest region of those containers (repeatable; default: every region the manifest or lockfile runs them in).")
    var regions: [String] = []

    @Option(help: ArgumentHelp(
        "Seconds each host gets to accept the connection and finish the SSH handshake, and to answer each keep-alive after (1-600).",
        valueName: "seconds"))
    var connectTimeout: Int = 10

    func validate() throws {
        guard (1...600).contains(connectTimeout) else { throw ValidationError("--connect-timeout must be 1-600 seconds") }
    }

    /// Pushes; prints one line per host; true when any host failed.
    func run(_ options: AccessOptions) throws -> Bool {
        guard let ca else { throw failAccess("--ca: the push certificate is signed with the customer's CA key; pass its path") }
        let manifest = try options.manifest()
        let lockfile = try reportingAccessFailures { try FileStateStore(path: options.statePath).load() }
        let principals = try self.principals(manifest: manifest, lockfile: lockfile)
        let targets = try self.targets(lockfile: lockfile, options: options)
        let service = AccessServiceFactory.service(options.paths)
        let prepared = try reportingAccessFailures {
            try service.prepareRevocationPush(ca: try CertificateAuthorityKey.load(from: ca), principals: principals, actor: try options.actor)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("catalyze-krl-push-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let keyPath = folder.appendingPathComponent("key").path
        let certificatePath = keyPath + "-cert.pub"
        try Data(prepared.privateKeyText(using: SystemRandomSource()).utf8)
            .write(to: URL(fileURLWithPath: keyPath), options: .withoutOverwriting)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        try Data((prepared.certificate.line + "\n").utf8).write(to: URL(fileURLWithPath: certificatePath))

        // Every host at once (each is one short ssh), so unreachable hosts cost one timeout, not one each.
        let results = Mutex([(ok: Bool, message: String)?](repeating: nil, count: targets.count))
        let knownHosts = options.paths.knownHosts, timeout = connectTimeout, krl = prepared.revocationList
        DispatchQueue.concurrentPerform(iterations: targets.count) { index in
            let result = SSHPush.run(
                target: targets[index], key: keyPath, certificate: certificatePath, knownHosts: knownHosts,
                connectTimeout: timeout, input: krl)
            results.withLock { $0[index] = result }
        }
        var outcomes: [String: String] = [:]
        var failed = false
        for (target, result) in zip(targets, results.withLock { $0 }.map { $0! }) {
            if result.ok {
                print("✓ \(target): \(result.message)")
                outcomes[target.description] = "installed"
            } else {
                printError("✗ \(target): \(result.message)")
                outcomes[target.description] = "failed: \(result.message)"
                failed = true
            }
        }
        var details = outcomes
        details["certificate_serial"] = "\(prepared.certificate.certificate.serial)"
        details["krl_bytes"] = "\(prepared.revocationList.count)"
        _ = try reportingAccessFailures { try service.record(.pushKRL, actor: try options.actor, details: details) }
        let count = outcomes.values.filter { $0 == "installed" }.count
        print("Revocation list pushed to \(count) of \(targets.count) host\(targets.count == 1 ? "" : "s").")
        return failed
    }

    /// The principals of the named containers, or of every container the manifest (else the
    /// lockfile) has: in both forms (`PrincipalForm`), since hosts made before 0.2.0 accept the legacy
    /// one until they are replaced. The push certificate runs only the KRL installer (`krl@…`).
    private func principals(manifest: PodManifest?, lockfile: Lockfile?) throws -> [String] {
        let podName = pod ?? manifest?.pod.name ?? lockfile?.pod
        // (region, container) of every container the manifest, else the lockfile, knows.
        var known: [(region: String, container: String)] = manifest.map { PodLayout.slots($0).map { ($0.region, $0.name) } }
            ?? (lockfile?.sortedRecords ?? []).filter { $0.kind == .instance }.map { ($0.address.region, $0.address.name) }
        if !regions.isEmpty {
            // Named regions: those, even for containers neither the manifest nor the lockfile knows (a --host push).
            let names = containers.isEmpty ? Array(Set(known.map(\.container))) : containers
            known = regions.flatMap { region in names.map { (region, $0) } }
        }
        if !containers.isEmpty {
            guard let podName else { throw failAccess("--container needs the pod's name: pass --pod NAME, or run beside its manifest") }
            var names: Set<String> = []
            for container in containers {
                let places = known.filter { $0.container == container }.map(\.region)
                guard !places.isEmpty else {
                    throw failAccess("--container \(container): neither the manifest nor the lockfile runs it in a region; pass --region")
                }
                for region in places {
                    for form in PrincipalForm.allCases {
                        names.insert(try reportingAccessFailures { try Principal(pod: podName, region: region, container: container, form: form).name })
                    }
                }
            }
            return names.sorted()
        }
        guard let podName else { return [] }
        var names: Set<String> = []
        for place in known {
            for form in PrincipalForm.allCases {
                names.insert(try reportingAccessFailures { try Principal(pod: podName, region: place.region, container: place.container, form: form).name })
            }
        }
        let recorded = lockfile?.resources.values.filter { $0.kind == .instance }.compactMap { $0.attributes["principals"] } ?? []
        for value in recorded { names.formUnion(value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        return names.sorted()
    }

    /// `--host` values, or the private address of every instance in the lockfile.
    private func targets(lockfile: Lockfile?, options: AccessOptions) throws -> [SSHPush.Target] {
        if !hosts.isEmpty {
            return try hosts.map {
                guard let target = SSHPush.Target(parsing: $0) else {
                    throw failAccess("--host '\($0)' is not ADDRESS or ADDRESS:PORT")
                }
                return target
            }
        }
        let found = (lockfile?.sortedRecords ?? []).filter { $0.kind == .instance }.compactMap { record in
            record.outputs["private_ip"].flatMap { $0.isEmpty ? nil : SSHPush.Target(address: $0, port: 22, label: record.address.description) }
        }
        guard !found.isEmpty else {
            throw failAccess("no host to push to: \(options.statePath) records no instance with an address; pass --host ADDRESS[:PORT]")
        }
        return found
    }
}

/// Runs the OpenSSH client to hand a KRL to one host's installer.
enum SSHPush {
    /// Where to connect.
    struct Target: CustomStringConvertible {
        var address: String
        var port: Int
        /// What to call it in output (its resource address when it came from the lockfile).
        var label: String?

        init(address: String, port: Int, label: String? = nil) {
            self.address = address
            self.port = port
            self.label = label
        }

        /// `ADDRESS` or `ADDRESS:PORT` (IPv6 as `[ADDRESS]:PORT`).
        init?(parsing text: String) {
            var host = text
            var port = 22
            if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
                host = String(text[text.index(after: text.startIndex)..<close])
                let rest = text[text.index(after: close)...]
                if !rest.isEmpty {
                    guard rest.hasPrefix(":"), let value = Int(rest.dropFirst()) else { return nil }
                    port = value
                }
            } else if let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon {
                guard let value = Int(text[text.index(after: colon)...]) else { return nil }
                host = String(text[..<colon])
                port = value
            }
            guard !host.isEmpty, (1...65_535).contains(port),
                  host.allSatisfy({ $0.isLetter || $0.isNumber || ".-:".contains($0) }) else { return nil }
            self.init(address: host, port: port)
        }

        var description: String {
            let place = port == 22 ? address : "\(address.contains(":") ? "[\(address)]" : address):\(port)"
            return label.map { "\($0) (\(place))" } ?? place
        }
    }

    /// `ssh -p PORT catalyze-krl@ADDRESS` with the push key and certificate, `input` on stdin.
    static func run(
        target: Target, key: String, certificate: String, knownHosts: String, connectTimeout: Int, input: [UInt8]
    ) -> (ok: Bool, message: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh")
        process.arguments = [
            "-F", "/dev/null", "-T",
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
            "-o", "StrictHostKeyChecking=accept-new", "-o", "UserKnownHostsFile=\(knownHosts)",
            "-o", "ConnectTimeout=\(connectTimeout)", "-o", "ServerAliveInterval=\(connectTimeout)",
            "-o", "ServerAliveCountMax=1", "-o", "LogLevel=ERROR",
            "-i", key, "-o", "CertificateFile=\(certificate)",
            "-p", String(target.port), "\(HostLogin.defaultRevocationUser)@\(target.address)",
        ]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do {
            try process.run()
        } catch {
            return (false, "cannot run /usr/bin/ssh: \(PlainWords.fileProblem(error))")
        }
        stdin.fileHandleForWriting.write(Data(input))
        try? stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let said = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let complaint = String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if process.terminationStatus == 0 {
            return (true, said.replacingOccurrences(of: "catalyze: ", with: ""))
        }
        let why = complaint.split(separator: "\n").last.map(String.init) ?? "ssh exited \(process.terminationStatus)"
        return (false, why.replacingOccurrences(of: "catalyze: ", with: ""))
    }
}
