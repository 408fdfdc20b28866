import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzeOperations
import CatalyzePlanner
import CatalyzeState
import Foundation

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

    /// Pushes (through the library's `KRLPush`); prints one line per host; true when any host failed.
    func run(_ options: AccessOptions) async throws -> Bool {
        guard let ca else { throw failAccess("--ca: the push certificate is signed with the customer's CA key; pass its path") }
        let manifest = try options.manifest()
        let lockfile = try reportingAccessFailures { try options.loadLockfile(manifest) }
        let principals = try reportingAccessFailures {
            try KRLPush.principals(pod: pod, manifest: manifest, lockfile: lockfile, containers: containers, regions: regions)
        }
        let targets = try reportingAccessFailures { try KRLPush.targets(hosts: hosts, lockfile: lockfile, stateName: options.statePath) }
        // Host keys are read through the cloud's console API with the drivers `apply` uses.
        let drivers = DriverFactory(environment: ProcessInfo.processInfo.environment)
        let push = KRLPush(
            access: AccessServiceFactory.service(options.paths),
            consoles: { providers in
                try drivers.make(for: providers).compactMapValues { $0 as? any ConsoleReading }
            },
            knownHostsFile: knownHostsFile, connectTimeout: connectTimeout)
        let caKey = try reportingAccessFailures { try CertificateAuthorityKey.load(from: ca) }
        let actor = try options.actor
        let outcome = try await reportingAccessFailures {
            try await push.run(ca: caKey, principals: principals, targets: targets, actor: actor)
        }
        for result in outcome.results {
            if result.installed { print("✓ \(result.target): \(result.message)") } else { printError("✗ \(result.target): \(result.message)") }
        }
        print("Revocation list pushed to \(outcome.installed) of \(targets.count) host\(targets.count == 1 ? "" : "s").")
        return outcome.installed < targets.count
    }
}
