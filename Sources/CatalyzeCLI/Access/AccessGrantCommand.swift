import ArgumentParser
import CatalyzeAccess
import CatalyzeCore
import CatalyzeManifest
import CatalyzePlanner
import CatalyzeState
import Foundation

/// `catalyze access grant`: sign a short-lived certificate for one engineer's key and one container.
struct AccessGrantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Sign a time-limited SSH certificate for an engineer's key, valid for one container.",
        discussion: """
            The certificate names the principal <pod>.<region>.<container> (e.g. acme.primary.app01): one \
            container of one pod in one region. --region is needed when the container runs in more than one region. \
            A host made before 0.2.0 and not replaced since accepts only the legacy <pod>-<container>; its grant \
            names that, and is refused while another host of the pod (the container in another region) still \
            accepts the same name. It carries the engineer and the reason in its \
            key id, a random serial, validity from 2 minutes ago to now + TTL, only permit-pty, and \
            source-address when --source is given. TTLs are capped by access.maxTtl (default 8h) or, with \
            --emergency, access.emergencyMaxTtl (default 1h). The pod's manifest (-f) is required: --target must be \
            one of its containers, and --ca the private half of its access.caPublicKey (a pod without one boots \
            hosts that trust no CA, so nothing is granted).
            """)

    @OptionGroup var options: AccessOptions

    @Option(help: "The engineer's name (recorded in the certificate and the audit).")
    var to: String

    @Option(help: "The engineer's public key: a .pub file or an `ssh-ed25519 AAAA…` line.")
    var key: String

    @Option(help: "How long the certificate lasts, e.g. 30m, 2h.")
    var ttl: String

    @Option(help: "The container to open, e.g. app01.")
    var target: String

    @Option(help: "The manifest region of the container, e.g. primary (needed when it runs in more than one).")
    var region: String?

    @Option(help: "The customer's CA private key (from `access ca init`).", completion: .file())
    var ca: String

    @Option(help: "Why access is needed (required with --emergency).")
    var reason: String?

    @Option(help: "Addresses the certificate may be used from (CIDR list), e.g. 203.0.113.7/32.")
    var source: String?

    @Flag(help: "Break-glass grant: its own shorter cap, marked in the key id and the audit.")
    var emergency = false

    @Option(help: "Where to write the certificate (default: <key> without .pub plus -cert.pub; stdout for a key line).")
    var out: String?

    func run() throws {
        guard let span = TimeSpan(parsing: ttl) else { throw failAccess("--ttl '\(ttl)' is not a duration such as 30m or 2h") }
        guard let manifest = try options.manifest() else {
            throw failAccess("\(options.file): no such manifest; access grant reads the pod's manifest for its containers, its CA and its TTL caps (pass -f FILE)")
        }
        let podName = manifest.pod.name
        let lockfile = try reportingAccessFailures { try options.loadLockfile(manifest) }
        let host: PrincipalTarget
        do {
            host = try PrincipalTarget.resolve(manifest: manifest, container: target, region: region, lockfile: lockfile)
        } catch let problem {
            var hint = ""
            if case let .unknownContainer(_, _, containers) = problem {
                hint = suggestion(for: target, among: containers).map { " Did you mean '\($0)'?" } ?? ""
            }
            throw failAccess("\(problem).\(hint)")
        }
        let caLine: String?
        do {
            caLine = try CustomerCAKey.line(reference: manifest.access.caPublicKey, manifestFolder: options.manifestFolder)
        } catch {
            throw failAccess("\(options.file): \(error)")
        }
        guard let caLine else {
            throw failAccess("pod '\(podName)' names no access.caPublicKey in \(options.file): its hosts trust no CA, so no certificate can open them. Add 'caPublicKey: file:PATH' (the .pub of `catalyze access ca init`) under 'access:' and apply first.")
        }
        let policy = GrantPolicy(
            maximumTTL: manifest.access.maxTTL, emergencyMaximumTTL: manifest.access.emergencyMaxTTL,
            clockSkewAllowance: GrantPolicy.standard.clockSkewAllowance)
        let result = try reportingAccessFailures {
            let isLine = key.hasPrefix("ssh-") && !FileManager.default.fileExists(atPath: key)
            let publicKey = isLine
                ? try SSHPublicKey(authorizedKeyLine: key, source: "--key") : try SSHPublicKey.load(from: key)
            let request = GrantRequest(
                engineer: to, publicKey: publicKey, ttl: span, principal: try Principal(pod: podName, region: host.region, container: target, form: host.form),
                reason: reason, sourceAddress: try source.map(SourceAddressList.init(parsing:)), emergency: emergency)
            let authority = try CertificateAuthorityKey.load(from: ca)
            let podCA = try SSHPublicKey(authorizedKeyLine: caLine, source: "access.caPublicKey")
            guard authority.publicKey == podCA else {
                throw failAccess("--ca \(ca) is not the pod's CA: its public key is \(authority.publicKey.fingerprint), the manifest's access.caPublicKey is \(podCA.fingerprint); hosts would refuse the certificate")
            }
            let service = AccessServiceFactory.service(options.paths, policy: policy)
            return try service.grant(request, ca: authority, actor: try options.actor)
        }
        let destination = out ?? (key.hasSuffix(".pub") ? String(key.dropLast(4)) + "-cert.pub" : nil)
        let grant = result.grant
        let legacy = grant.principal.form == .legacy
            ? " (\(host.address), made before 0.2.0: it accepts the legacy principal until it is replaced)" : ""
        let summary = "Granted serial \(grant.serial) to \(grant.engineer) for \(grant.principal)\(legacy) until "
            + "\(AccessViews.time(grant.validBefore)) (\(span))\(grant.emergency ? ", EMERGENCY" : "")."
        if let destination {
            do {
                try Data((result.certificate.line + "\n").utf8).write(to: URL(fileURLWithPath: destination), options: .atomic)
            } catch {
                throw failAccess("\(destination): cannot write the certificate: \(PlainWords.fileProblem(error)) (the grant is recorded as serial \(grant.serial); revoke it or write it again)")
            }
            print(summary)
            print("Certificate: \(destination)")
        } else {
            print(result.certificate.line)
            printError(summary)
        }
    }
}
