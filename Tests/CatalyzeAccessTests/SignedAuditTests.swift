import CatalyzeCore
import CatalyzeTestSupport
import Foundation
import Testing
@testable import CatalyzeAccess

/// Signed audit heads: the CA key signs grants and revokes, the operator key exposure changes;
/// `verifyAudit(keys:)` checks every signature against the manifest's public halves, so a chain
/// rewritten consistently (hashes, links and the registry's anchor recomputed) fails without the
/// private keys, naming the entry.
@Suite struct SignedAuditTests {
    /// A log of grant, expose (operator), revoke, all signed; the keys to check it with.
    func signedLog() throws -> (AccessFixture, AccessService, AuditKeys, CertificateAuthorityKey) {
        let fixture = try AccessFixture()
        let service = fixture.service(at: Date())
        let operatorKey = try CertificateAuthorityKey.generate(comment: "operator", using: SeededRandomSource(seed: 21))
        let grant = try service.grant(try fixture.request(ttl: "10m"), ca: fixture.ca, actor: "customer")
        try service.record(.expose, actor: "ops", details: ["service": "logging"], signer: AuditSigner(key: operatorKey, role: .operator))
        _ = try service.revoke(serial: grant.grant.serial, actor: "customer", signer: AuditSigner(key: fixture.ca, role: .ca))
        return (fixture, service, AuditKeys(ca: fixture.ca.publicKey, operator: operatorKey.publicKey), operatorKey)
    }

    /// Rewrites the log from its entries (hashes and links recomputed, as a forger would) and the
    /// registry's anchor to the new head.
    func forge(_ fixture: AccessFixture, _ entries: [AuditEntry]) throws {
        var previous = AuditEntry.genesisHash
        var lines: [String] = []
        var head = AuditAnchor(sequence: 0, hash: "")
        for var entry in entries {
            entry.previousHash = previous
            entry.hash = try entry.computedHash()
            previous = entry.hash
            head = AuditAnchor(sequence: entry.sequence, hash: entry.hash)
            lines.append(try entry.line())
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: fixture.paths.auditLog, atomically: true, encoding: .utf8)
        var registry = try GrantRegistry.load(from: fixture.paths.registry)
        registry.auditHead = head
        try registry.save(to: fixture.paths.registry)
    }

    @Test func aSignedLogVerifiesAndCountsItsSignatures() throws {
        let (fixture, service, keys, _) = try signedLog()
        defer { fixture.remove() }
        let entries = try service.auditEntries()
        #expect(entries.map(\.signer?.role) == [.ca, .operator, .ca])
        #expect(entries.allSatisfy { $0.signature != nil })
        let verification = try service.verifyAudit(keys: keys)
        #expect(verification.isIntact, "\(verification.problems)")
        #expect(verification.signedCount == 3 && verification.unsignedCount == 0)
        // No private key material in the log: only fingerprints and signatures.
        let text = try String(contentsOfFile: fixture.paths.auditLog, encoding: .utf8)
        #expect(!text.contains("PRIVATE KEY") && text.contains(fixture.ca.publicKey.fingerprint))
    }

    @Test func aConsistentlyRewrittenChainFailsNamingTheEntry() throws {
        let (fixture, service, keys, _) = try signedLog()
        defer { fixture.remove() }
        var entries = try service.auditEntries()
        entries[1].details["service"] = "monitoring"
        try forge(fixture, entries)
        #expect(try service.verifyAudit().isIntact, "the hash chain and anchor alone hold: only signatures catch it")
        let verification = try service.verifyAudit(keys: keys)
        #expect(!verification.isIntact)
        let messages = verification.problems.map(\.description)
        #expect(messages.contains { $0.contains("entry 2's signature does not verify with access.operatorPublicKey") }, "\(messages)")
        // Entry 3's signature covers its previous hash, so it breaks too: the rewrite shows from entry 2 on.
        #expect(messages.contains { $0.contains("entry 3's signature does not verify with access.caPublicKey") }, "\(messages)")
        #expect(!messages.contains { $0.contains("entry 1") }, "\(messages)")
    }

    @Test func reSigningWithAnotherKeyOrStrippingSignaturesFails() throws {
        let (fixture, service, keys, _) = try signedLog()
        defer { fixture.remove() }
        let original = try service.auditEntries()
        // Re-signed by a forger's own key: not the manifest's.
        let forger = try CertificateAuthorityKey.generate(comment: "forger", using: SeededRandomSource(seed: 99))
        var resigned: [AuditEntry] = []
        var previous = AuditEntry.genesisHash
        for entry in original {
            let role = entry.signer?.role ?? .ca
            let made = try AuditEntry(
                sequence: entry.sequence, time: Date(), kind: entry.kind, actor: entry.actor, details: entry.details,
                previousHash: previous, signer: AuditSigner(key: forger, role: role))
            previous = made.hash
            resigned.append(made)
        }
        try forge(fixture, resigned)
        let other = try service.verifyAudit(keys: keys).problems.map(\.description)
        #expect(other.contains { $0.contains("entry 1 is signed by \(forger.publicKey.fingerprint), which is not access.caPublicKey") }, "\(other)")

        // Every signature stripped, to pass the chain off as one of a release before 0.2.0: the
        // grant has 0.2.0's shape (region, principal form), so its missing signature shows.
        try forge(fixture, original.map { var entry = $0; entry.signer = nil; entry.signature = nil; return entry })
        let stripped = try service.verifyAudit(keys: keys)
        #expect(stripped.problems.map(\.description).contains { $0.contains("entry 1 is not signed") }, "\(stripped.problems)")
        // A signature removed from one entry after signed ones: the same.
        try forge(fixture, original.enumerated().map { index, entry in
            var entry = entry
            if index == 2 { entry.signer = nil; entry.signature = nil }
            return entry
        })
        #expect(try service.verifyAudit(keys: keys).problems.map(\.description).contains { $0.contains("entry 3 is not signed") })
    }

    /// A revoke may be signed by the operator key (an emergency never waits for the customer's CA
    /// key); a grant may not, even with the operator's real private key.
    @Test func aRevokeVerifiesWithEitherKeyAGrantOnlyWithTheCA() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let service = fixture.service(at: Date())
        let operatorKey = try CertificateAuthorityKey.generate(comment: "operator", using: SeededRandomSource(seed: 22))
        let keys = AuditKeys(ca: fixture.ca.publicKey, operator: operatorKey.publicKey)
        let grant = try service.grant(try fixture.request(ttl: "10m"), ca: fixture.ca, actor: "customer")
        _ = try service.revoke(serial: grant.grant.serial, actor: "ops", signer: AuditSigner(key: operatorKey, role: .operator))
        let verification = try service.verifyAudit(keys: keys)
        #expect(verification.isIntact, "\(verification.problems)")
        #expect(try service.auditEntries().map(\.signer?.role) == [.ca, .operator])

        // The grant re-signed by the operator key: its signature is valid, its role is not.
        let original = try service.auditEntries()
        let regranted = try AuditEntry(
            sequence: 1, time: Date(), kind: .grant, actor: original[0].actor, details: original[0].details,
            previousHash: AuditEntry.genesisHash, signer: AuditSigner(key: operatorKey, role: .operator))
        try forge(fixture, [regranted, original[1]])
        let problems = try service.verifyAudit(keys: keys).problems.map(\.description)
        #expect(problems.contains { $0.contains("entry 1 (grant) is signed by the operator key, which does not sign grant entries (only access.caPublicKey)") },
                "\(problems)")
    }

    @Test func unsignedEntriesOfAnOlderReleaseAreAcceptedBeforeTheFirstSignedOne() throws {
        let fixture = try AccessFixture()
        defer { fixture.remove() }
        let service = fixture.service(at: Date())
        // As 0.1.x wrote them: unsigned, and a grant without region or principal form.
        try service.record(.expose, actor: "ops", details: ["service": "logging"])
        try service.record(.conceal, actor: "ops", details: ["service": "logging"])
        _ = try service.grant(try fixture.request(ttl: "10m"), ca: fixture.ca, actor: "customer")
        let keys = AuditKeys(ca: fixture.ca.publicKey, operator: nil)
        let verification = try service.verifyAudit(keys: keys)
        #expect(verification.isIntact, "\(verification.problems)")
        #expect(verification.unsignedCount == 2 && verification.signedCount == 1)
        // Without the public half of a signer's role, a signed entry cannot be checked: a problem.
        let noKeys = try service.verifyAudit(keys: AuditKeys(ca: nil, operator: nil))
        #expect(noKeys.problems.map(\.description).contains { $0.contains("entry 3 is signed by the ca key but the manifest names no access.caPublicKey") })
    }
}
