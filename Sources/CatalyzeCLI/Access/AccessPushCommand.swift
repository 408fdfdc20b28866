import ArgumentParser
import CatalyzeAccess
import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeRackspace
import CatalyzeState
import Foundation
import Synchronization

/// `catalyze access push-krl`: deliver the current revocation list to the pod's running hosts.
struct AccessPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push-krl",
        abstract: "Push the current revocation list to the pod's running hosts, over SSH, with a 5-minute certificate.",
        discussion: """
            Signs, with the customer's CA, a certificate valid for 5 minutes for the principals \
            krl@<pod>.<region>.<container> and krl@<pod>-<container> (hosts made before 0.2.0) of every container. Hosts accept it only for the catalyze-krl account and only \
            to run their KRL installer (restrict,command= in their principals file): it reads the KRL from \
            standard input, checks it and swaps it in. Hosts are the instances in the lockfile (their private \
            addresses, reached over the pod's VPN) unless --host names them. \
            Host keys come from the cloud, never from the host itself: each host prints its SSH host public keys \
            on its console at the end of its first boot (the block cloud-init prints), \
            and push-krl reads them at push time through the cloud's console API (EC2 GetConsoleOutput, Nova \
            os-getConsoleOutput, with the cloud credentials apply uses) for the instance the lockfile records at \
            that address, then runs ssh with StrictHostKeyChecking=yes against a known_hosts file of exactly those \
            keys (0600, in a temporary folder removed after). Read at push time rather than at create time: the \
            keys exist only once the host has booted, after apply has moved on, and the console always speaks for \
            the instance the cloud runs now. A host whose console shows no keys yet is not contacted; a host \
            whose key is not one its console shows (a replaced host at the same address, or another machine) \
            is refused. A --host address that no instance of the lockfile has needs --known-hosts. \
            Exits 1 when any host did not take it. \
            Every host is tried at once; each gets --connect-timeout seconds to accept the connection and \
            finish the SSH handshake (ssh ConnectTimeout), and once connected is dropped when it leaves one \
            keep-alive of that length unanswered (ServerAliveInterval, ServerAliveCountMax=1), so a silent \
            host fails within about twice --connect-timeout.
            """)

    @OptionGroup var options: AccessOptions
    @OptionGroup var push: PushOptions

    func run() async throws {
        let failed = try await push.run(options)
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

    @Option(name: .customLong("known-hosts"), help: ArgumentHelp(
        "A known_hosts file of host keys you checked yourself, for --host addresses that are no instance of the lockfile (default: such a host is refused).",
        valueName: "file"), completion: .file())
    var knownHostsFile: String?

    @Option(help: ArgumentHelp(
        "Seconds each host gets to accept the connection and finish the SSH handshake, and to answer each keep-alive after (1-600).",
        valueName: "seconds"))
    var connectTimeout: Int = 10

    func validate() throws {
        guard (1...600).contains(connectTimeout) else { throw ValidationError("--connect-timeout must be 1-600 seconds") }
    }

    /// Pushes; prints one line per host; true when any host failed.
    func run(_ options: AccessOptions) async throws -> Bool {
        guard let ca else { throw failAccess("--ca: the push certificate is signed with the customer's CA key; pass its path") }
        let manifest = try options.manifest()
        let lockfile = try reportingAccessFailures { try options.loadLockfile(manifest) }
        let principals = try self.principals(manifest: manifest, lockfile: lockfile)
        let targets = try self.targets(lockfile: lockfile, options: options)
        if let knownHostsFile, !FileManager.default.isReadableFile(atPath: knownHostsFile) {
            throw failAccess("--known-hosts \(knownHostsFile): no such readable file")
        }
        let service = AccessServiceFactory.service(options.paths)
        let caKey = try reportingAccessFailures { try CertificateAuthorityKey.load(from: ca) }
        let prepared = try reportingAccessFailures {
            try service.prepareRevocationPush(ca: caKey, principals: principals, actor: try options.actor)
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

        // Each host's keys, from its instance's console (or --known-hosts): a host without them is not contacted.
        let trust = try await hostTrust(targets, folder: folder)

        // Every host at once (each is one short ssh), so unreachable hosts cost one timeout, not one each.
        let results = Mutex([(ok: Bool, message: String)?](repeating: nil, count: targets.count))
        let timeout = connectTimeout, krl = prepared.revocationList
        DispatchQueue.concurrentPerform(iterations: targets.count) { index in
            let result: (ok: Bool, message: String)
            switch trust[index] {
            case .refused(let why):
                result = (false, why)
            case .knownHosts(let path, let alias, let instance):
                result = SSHPush.run(
                    target: targets[index], key: keyPath, certificate: certificatePath, knownHosts: path, hostKeyAlias: alias,
                    instance: instance, connectTimeout: timeout, input: krl)
            }
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
        _ = try reportingAccessFailures { try service.record(.pushKRL, actor: try options.actor, details: details, signer: AuditSigner(key: caKey, role: .ca)) }
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

    /// How `ssh` is to know one host.
    enum HostTrust {
        /// A known_hosts file, with the alias its lines use (nil: the address itself), for `instance` (nil: --known-hosts).
        case knownHosts(path: String, alias: String?, instance: SSHPush.Instance?)
        /// The host is not contacted, for this reason.
        case refused(String)
    }

    /// For each target: a known_hosts file (0600, in `folder`) of the keys its instance's console
    /// shows, read through the cloud's API; or `--known-hosts`; or why it is refused.
    private func hostTrust(_ targets: [SSHPush.Target], folder: URL) async throws -> [HostTrust] {
        let providers = Set(targets.compactMap { $0.instance?.provider })
        var readers: [Provider: any ConsoleReading] = [:]
        if !providers.isEmpty {
            let environment = ProcessInfo.processInfo.environment
            do {
                let transport = CurlTransport(timeouts: .standard)
                if providers.contains(.aws) { readers[.aws] = try AWSDriver.fromEnvironment(environment, transport: transport) }
                if providers.contains(.rax) {
                    readers[.rax] = try RackspaceDriver.fromEnvironment(environment, transport: transport, cloudsYAML: Self.cloudsYAML(environment))
                }
            } catch {
                throw failAccess("host keys are read from the instances' consoles through the cloud's API, which needs its credentials (as for apply): \(error)")
            }
        }
        let consoles = readers, knownHostsFile = self.knownHostsFile
        return await withTaskGroup(of: (Int, HostTrust).self) { group in
            for (index, target) in targets.enumerated() {
                group.addTask {
                    guard let instance = target.instance else {
                        if let knownHostsFile { return (index, .knownHosts(path: knownHostsFile, alias: nil, instance: nil)) }
                        return (index, .refused(
                            "no instance of the lockfile has this address, so its host key cannot be read from the cloud; "
                                + "nothing was pushed to it (pass --known-hosts FILE with keys you checked, or push to the lockfile's instances)"))
                    }
                    let console: String
                    do {
                        console = try await consoles[instance.provider]!.consoleOutput(cloudID: instance.cloudID, region: instance.cloudRegion)
                    } catch {
                        return (index, .refused("cannot read the console of \(instance) to learn its host key: \(error); nothing was pushed to it"))
                    }
                    guard let keys = ConsoleHostKeys.parse(console) else {
                        return (index, .refused(
                            "the console of \(instance) shows no SSH host key yet, so catalyze cannot tell this host from another machine; "
                                + "nothing was pushed to it. A host prints its keys at the end of its first boot: wait a few minutes "
                                + "and run push-krl again (if it stays empty, look at the instance's console in the cloud's console)"))
                    }
                    let alias = "catalyze-\(instance.cloudID)"
                    let path = folder.appendingPathComponent("known_hosts-\(index)").path
                    let text = keys.map { $0.knownHostsLine(for: alias) + "\n" }.joined()
                    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                        return (index, .refused("cannot write a known_hosts file in \(folder.path)"))
                    }
                    return (index, .knownHosts(path: path, alias: alias, instance: instance))
                }
            }
            var trust = [HostTrust](repeating: .refused(""), count: targets.count)
            for await (index, value) in group { trust[index] = value }
            return trust
        }
    }

    /// `clouds.yaml` from `.`, `~/.config/openstack` or `/etc/openstack`, the first found (as `Session`).
    private static func cloudsYAML(_ environment: [String: String]) -> String? {
        let home = environment["HOME"] ?? ""
        for folder in [".", "\(home)/.config/openstack", "/etc/openstack"] {
            if let text = try? String(contentsOfFile: "\(folder)/clouds.yaml", encoding: .utf8) { return text }
        }
        return nil
    }

    /// `--host` values, or the private address of every instance in the lockfile. A `--host` whose
    /// address is an instance's private address in the lockfile is that instance (its keys come from its console).
    private func targets(lockfile: Lockfile?, options: AccessOptions) throws -> [SSHPush.Target] {
        let instances = (lockfile?.sortedRecords ?? []).filter { $0.kind == .instance }
        func instance(_ record: ResourceRecord) -> SSHPush.Instance {
            SSHPush.Instance(provider: record.provider, cloudRegion: record.cloudRegion, cloudID: record.cloudID)
        }
        if !hosts.isEmpty {
            return try hosts.map {
                guard var target = SSHPush.Target(parsing: $0) else {
                    throw failAccess("--host '\($0)' is not ADDRESS or ADDRESS:PORT")
                }
                if let record = instances.first(where: { $0.outputs["private_ip"] == target.address && !$0.cloudID.isEmpty }) {
                    target.instance = instance(record)
                    target.label = record.address.description
                }
                return target
            }
        }
        let found = instances.compactMap { record in
            record.outputs["private_ip"].flatMap {
                $0.isEmpty ? nil : SSHPush.Target(address: $0, port: 22, label: record.address.description, instance: instance(record))
            }
        }
        guard !found.isEmpty else {
            throw failAccess("no host to push to: \(options.statePath) records no instance with an address; pass --host ADDRESS[:PORT]")
        }
        return found
    }
}

/// Runs the OpenSSH client to hand a KRL to one host's installer.
enum SSHPush {
    /// The cloud's instance (or server) at a target's address, whose console shows its host keys.
    struct Instance: Sendable, CustomStringConvertible {
        var provider: Provider
        var cloudRegion: String
        var cloudID: String

        var description: String { "instance \(cloudID) (\(provider.rawValue) \(cloudRegion))" }
    }

    /// Where to connect.
    struct Target: Sendable, CustomStringConvertible {
        var address: String
        var port: Int
        /// What to call it in output (its resource address when it came from the lockfile).
        var label: String?
        /// The lockfile's instance at this address, if any.
        var instance: Instance?

        init(address: String, port: Int, label: String? = nil, instance: Instance? = nil) {
            self.address = address
            self.port = port
            self.label = label
            self.instance = instance
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

    /// `ssh -p PORT catalyze-krl@ADDRESS` with the push key and certificate, `input` on stdin,
    /// trusting only the host keys of `knownHosts` (under `hostKeyAlias` when given).
    static func run(
        target: Target, key: String, certificate: String, knownHosts: String, hostKeyAlias: String?, instance: Instance?,
        connectTimeout: Int, input: [UInt8]
    ) -> (ok: Bool, message: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ssh")
        process.arguments = [
            "-F", "/dev/null", "-T",
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none",
            "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=\(knownHosts)",
            "-o", "GlobalKnownHostsFile=/dev/null", "-o", "UpdateHostKeys=no", "-o", "CheckHostIP=no",
            "-o", "ConnectTimeout=\(connectTimeout)", "-o", "ServerAliveInterval=\(connectTimeout)",
            "-o", "ServerAliveCountMax=1", "-o", "LogLevel=ERROR",
            "-i", key, "-o", "CertificateFile=\(certificate)",
            "-p", String(target.port), "\(HostLogin.defaultRevocationUser)@\(target.address)",
        ]
        if let hostKeyAlias { process.arguments!.insert(contentsOf: ["-o", "HostKeyAlias=\(hostKeyAlias)"], at: 3) }
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
        if complaint.contains("Host key verification failed") {
            let source = instance.map { "the console of \($0) shows" } ?? "--known-hosts lists"
            return (false, "its SSH host key is not one \(source): a replaced host at this address, or another machine; "
                + "refused, nothing was pushed to it. If the instance was replaced, wait until the new one's console shows "
                + "its keys (the end of its first boot) and run `catalyze apply` so the lockfile names it, then push again")
        }
        let why = complaint.split(separator: "\n").last.map(String.init) ?? "ssh exited \(process.terminationStatus)"
        return (false, why.replacingOccurrences(of: "catalyze: ", with: ""))
    }
}
