import CatalyzeCore
import CatalyzeTestSupport
import Foundation
@testable import CatalyzeAccess

/// Shared set-up for the access tests: keys from a seeded source, a folder, a fixed clock.
struct AccessFixture {
    let folder: TemporaryDirectory
    let random: SeededRandomSource
    let ca: CertificateAuthorityKey
    let caPath: String
    let engineerKeyPath: String
    let engineerKey: SSHPublicKey
    static let epoch = Date(timeIntervalSince1970: 1_790_000_000)  // 2026-09-21T14:13:20Z

    init(seed: UInt64 = 42) throws {
        folder = try TemporaryDirectory(prefix: "catalyze-access")
        random = SeededRandomSource(seed: seed)
        caPath = folder.path("customer_ca")
        ca = try CertificateAuthorityKey.create(at: caPath, comment: "acme-ca", using: random)
        engineerKeyPath = folder.path("engineer")
        try SSHDCommand.makeKeyPair(at: engineerKeyPath, comment: "alice@laptop")
        engineerKey = try SSHPublicKey.load(from: engineerKeyPath + ".pub")
    }

    var paths: AccessPaths { AccessPaths(folder: folder.url.path) }

    func service(at instant: Date = AccessFixture.epoch, policy: GrantPolicy = .standard) -> AccessService {
        AccessService(paths: paths, clock: FixedClock(instant), random: random, policy: policy)
    }

    func request(
        container: String = "app01", ttl: String = "1h", reason: String? = "ticket 4711",
        source: String? = nil, emergency: Bool = false
    ) throws -> GrantRequest {
        GrantRequest(
            engineer: "alice", publicKey: engineerKey, ttl: TimeSpan(parsing: ttl)!,
            principal: try Principal(pod: "acme", region: "primary", container: container), reason: reason,
            sourceAddress: try source.map(SourceAddressList.init(parsing:)), emergency: emergency)
    }

    /// Writes a certificate line to a file and returns its path.
    func write(_ certificate: SignedCertificate, as name: String) throws -> String {
        let path = folder.path(name)
        try (certificate.line + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `ssh-keygen -L -f PATH`: the certificate as OpenSSH reads it (fails when the signature is bad).
    func inspect(_ certificatePath: String) throws -> SSHDCommandResult {
        try SSHDCommand.sshKeygen(["-L", "-f", certificatePath])
    }

    func remove() { folder.remove() }
}
