import CatalyzeAccess
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Foundation
import Synchronization

/// Delivers the current revocation list to a pod's running hosts over SSH, with a 5-minute
/// certificate signed by the customer's CA that each host accepts only for its KRL installer.
/// The one implementation behind `catalyze access push-krl` and `access revoke --push` (and the
/// HTTP API to come).
///
/// Host keys come from the cloud, never from the host itself: each host prints its SSH host public
/// keys on its console at the end of its first boot, and the push reads them through the cloud's
/// console API (`ConsoleReading`) for the instance the lockfile records at that address, then runs
/// ssh with `StrictHostKeyChecking=yes` against a known_hosts file of exactly those keys. A host
/// whose console shows no key yet is not contacted; one whose key is not on its console is refused.
/// Every host is tried at once. The audit entry (signed with the CA key) lists each host's outcome.
public struct KRLPush: Sendable {
    /// The cloud's instance (or server) at a target's address, whose console shows its host keys.
    public struct Instance: Sendable, Hashable, CustomStringConvertible {
        /// Its cloud.
        public var provider: Provider
        /// Its cloud region.
        public var cloudRegion: String
        /// Its id there.
        public var cloudID: String

        /// Creates the value.
        public init(provider: Provider, cloudRegion: String, cloudID: String) {
            self.provider = provider
            self.cloudRegion = cloudRegion
            self.cloudID = cloudID
        }

        public var description: String { "instance \(cloudID) (\(provider.rawValue) \(cloudRegion))" }
    }

    /// Where to connect.
    public struct Target: Sendable, Hashable, CustomStringConvertible {
        /// Its address (IPv4, IPv6 or a name).
        public var address: String
        /// Its SSH port.
        public var port: Int
        /// What to call it in output (its resource address when it came from the lockfile).
        public var label: String?
        /// The lockfile's instance at this address, if any.
        public var instance: Instance?

        /// Creates a target.
        public init(address: String, port: Int, label: String? = nil, instance: Instance? = nil) {
            self.address = address
            self.port = port
            self.label = label
            self.instance = instance
        }

        /// `ADDRESS` or `ADDRESS:PORT` (IPv6 as `[ADDRESS]:PORT`); nil when malformed.
        public init?(parsing text: String) {
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

        public var description: String {
            let place = port == 22 ? address : "\(address.contains(":") ? "[\(address)]" : address):\(port)"
            return label.map { "\($0) (\(place))" } ?? place
        }
    }

    /// One host's outcome.
    public struct HostResult: Sendable, Hashable {
        /// The host.
        public var target: Target
        /// True when it installed the list.
        public var installed: Bool
        /// What its installer said, or why it failed or was refused.
        public var message: String
    }

    /// What a push did.
    public struct Outcome: Sendable {
        /// Each target's result, in the order given.
        public var results: [HostResult]
        /// The audit entry recorded.
        public var audit: AuditEntry
        /// How many hosts took the list.
        public var installed: Int { results.filter(\.installed).count }
    }

    /// Why a push did not start, or which targets cannot be named. Nothing was pushed.
    public struct Refusal: Error, Hashable, CustomStringConvertible {
        /// What is wrong, in the words of the options the CLI offers.
        public var description: String
        /// Creates the refusal.
        public init(_ description: String) { self.description = description }
    }

    /// The grants registry, revocation list and audit log.
    public var access: AccessService
    /// Makes the console readers of the clouds the targets' instances are on (called only when a
    /// target has an instance): the drivers, with the credentials `apply` uses.
    public var consoles: @Sendable (Set<Provider>) throws -> [Provider: any ConsoleReading]
    /// A known_hosts file for targets that are no instance of the lockfile (nil: such a target is refused).
    public var knownHostsFile: String?
    /// Seconds each host gets to connect and finish the handshake, and to answer each keep-alive.
    public var connectTimeout: Int
    /// The OpenSSH client.
    public var ssh: String

    /// Creates the use case.
    public init(
        access: AccessService, consoles: @escaping @Sendable (Set<Provider>) throws -> [Provider: any ConsoleReading],
        knownHostsFile: String? = nil, connectTimeout: Int = 10, ssh: String = "/usr/bin/ssh"
    ) {
        self.access = access
        self.consoles = consoles
        self.knownHostsFile = knownHostsFile
        self.connectTimeout = connectTimeout
        self.ssh = ssh
    }

    /// Pushes to every target at once and records the audit entry. Throws only when nothing could
    /// be tried (the console readers cannot be made, a temporary folder cannot be written) or the
    /// audit entry cannot be recorded; a host that did not take the list is in the outcome.
    public func run(ca: CertificateAuthorityKey, principals: [String], targets: [Target], actor: String) async throws -> Outcome {
        if let knownHostsFile, !FileManager.default.isReadableFile(atPath: knownHostsFile) {
            throw Refusal("--known-hosts \(knownHostsFile): no such readable file")
        }
        let prepared = try access.prepareRevocationPush(ca: ca, principals: principals, actor: actor)
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
        let results = Mutex([HostResult?](repeating: nil, count: targets.count))
        let krl = prepared.revocationList
        DispatchQueue.concurrentPerform(iterations: targets.count) { index in
            let result: (ok: Bool, message: String)
            switch trust[index] {
            case .refused(let why):
                result = (false, why)
            case .knownHosts(let path, let alias, let instance):
                result = runSSH(
                    target: targets[index], key: keyPath, certificate: certificatePath, knownHosts: path, hostKeyAlias: alias,
                    instance: instance, input: krl)
            }
            results.withLock { $0[index] = HostResult(target: targets[index], installed: result.ok, message: result.message) }
        }
        let outcome = results.withLock { $0 }.map { $0! }
        var details: [String: String] = [:]
        for result in outcome { details[result.target.description] = result.installed ? "installed" : "failed: \(result.message)" }
        details["certificate_serial"] = "\(prepared.certificate.certificate.serial)"
        details["krl_bytes"] = "\(prepared.revocationList.count)"
        let audit = try access.record(.pushKRL, actor: actor, details: details, signer: AuditSigner(key: ca, role: .ca))
        return Outcome(results: outcome, audit: audit)
    }

    // MARK: whom to push to

    /// The principals of the named containers, or of every container the manifest (else the
    /// lockfile) has: in both forms (`PrincipalForm`), since hosts made before 0.2.0 accept the legacy
    /// one until they are replaced; plus every principal the lockfile records.
    public static func principals(
        pod: String?, manifest: PodManifest?, lockfile: Lockfile?, containers: [String], regions: [String]
    ) throws -> [String] {
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
            guard let podName else { throw Refusal("--container needs the pod's name: pass --pod NAME, or run beside its manifest") }
            var names: Set<String> = []
            for container in containers {
                let places = known.filter { $0.container == container }.map(\.region)
                guard !places.isEmpty else {
                    throw Refusal("--container \(container): neither the manifest nor the lockfile runs it in a region; pass --region")
                }
                for region in places {
                    for form in PrincipalForm.allCases {
                        names.insert(try Principal(pod: podName, region: region, container: container, form: form).name)
                    }
                }
            }
            return names.sorted()
        }
        guard let podName else { return [] }
        var names: Set<String> = []
        for place in known {
            for form in PrincipalForm.allCases {
                names.insert(try Principal(pod: podName, region: place.region, container: place.container, form: form).name)
            }
        }
        let recorded = lockfile?.resources.values.filter { $0.kind == .instance }.compactMap { $0.attributes["principals"] } ?? []
        for value in recorded { names.formUnion(value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        return names.sorted()
    }

    /// `hosts` (`ADDRESS[:PORT]`), or the private address of every instance in the lockfile. A host
    /// whose address is an instance's private address in the lockfile is that instance (its keys
    /// come from its console). `stateName` names the lockfile in the error when it has no instance.
    public static func targets(hosts: [String], lockfile: Lockfile?, stateName: String) throws -> [Target] {
        let instances = (lockfile?.sortedRecords ?? []).filter { $0.kind == .instance }
        func instance(_ record: ResourceRecord) -> Instance {
            Instance(provider: record.provider, cloudRegion: record.cloudRegion, cloudID: record.cloudID)
        }
        if !hosts.isEmpty {
            return try hosts.map {
                guard var target = Target(parsing: $0) else { throw Refusal("--host '\($0)' is not ADDRESS or ADDRESS:PORT") }
                if let record = instances.first(where: { $0.outputs["private_ip"] == target.address && !$0.cloudID.isEmpty }) {
                    target.instance = instance(record)
                    target.label = record.address.description
                }
                return target
            }
        }
        let found = instances.compactMap { record in
            record.outputs["private_ip"].flatMap {
                $0.isEmpty ? nil : Target(address: $0, port: 22, label: record.address.description, instance: instance(record))
            }
        }
        guard !found.isEmpty else {
            throw Refusal("no host to push to: \(stateName) records no instance with an address; pass --host ADDRESS[:PORT]")
        }
        return found
    }

    // MARK: host keys

    /// How `ssh` is to know one host.
    enum HostTrust {
        /// A known_hosts file, with the alias its lines use (nil: the address itself), for `instance` (nil: --known-hosts).
        case knownHosts(path: String, alias: String?, instance: Instance?)
        /// The host is not contacted, for this reason.
        case refused(String)
    }

    /// For each target: a known_hosts file (0600, in `folder`) of the keys its instance's console
    /// shows, read through the cloud's API; or `knownHostsFile`; or why it is refused.
    func hostTrust(_ targets: [Target], folder: URL) async throws -> [HostTrust] {
        let providers = Set(targets.compactMap { $0.instance?.provider })
        var readers: [Provider: any ConsoleReading] = [:]
        if !providers.isEmpty {
            do {
                readers = try consoles(providers)
            } catch {
                throw Refusal("host keys are read from the instances' consoles through the cloud's API, which needs its credentials (as for apply): \(error)")
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
                    guard let reader = consoles[instance.provider] else {
                        return (index, .refused("no \(instance.provider.rawValue) driver to read the console of \(instance); nothing was pushed to it"))
                    }
                    let console: String
                    do {
                        console = try await reader.consoleOutput(cloudID: instance.cloudID, region: instance.cloudRegion)
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

    // MARK: ssh

    /// `ssh -p PORT catalyze-krl@ADDRESS` with the push key and certificate, `input` on stdin,
    /// trusting only the host keys of `knownHosts` (under `hostKeyAlias` when given).
    func runSSH(
        target: Target, key: String, certificate: String, knownHosts: String, hostKeyAlias: String?, instance: Instance?,
        input: [UInt8]
    ) -> (ok: Bool, message: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ssh)
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
            return (false, "cannot run \(ssh): \(PlainWords.fileProblem(error))")
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
