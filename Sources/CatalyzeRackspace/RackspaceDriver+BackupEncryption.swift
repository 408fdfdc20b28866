import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CryptoExtras
import Foundation

/// One Cloud Backup agent as `GET user/agents` lists it.
struct BackupAgent: Hashable, Sendable {
    /// `MachineAgentId`.
    var id: Int
    /// `IsEncrypted`: nil when the listing does not say (the agent's details then decide).
    var encrypted: Bool?
}

/// Encrypting Cloud Backup vaults with the customer's passphrase (API v1.0, agent operations).
///
/// An agent's vault is encrypted (AES-256, by the agent) once `POST agent/encrypt` gives it the
/// customer's passphrase, sealed to that agent's RSA public key (`GET agent/{machineAgentId}`:
/// `PublicKey` `{ModulusHex, ExponentHex}`, big-endian hex) and sent as `EncryptedPasswordHex`
/// (512 hex digits for the agents' 2048-bit keys). Rackspace never sees the passphrase in clear and
/// neither does anything catalyze stores: the plan and lockfile hold the reference (`env:NAME`,
/// `file:PATH`), resolved here only for an agent that is not encrypted yet.
///
/// Padding: the API reference does not name it. Rackspace's own how-to ("Generate your encrypted
/// key in Cloud Backup", `rcbucrypt.py`) and the control panel's JavaScript RSA library use
/// RSAES-PKCS1-v1_5, as the rcbu-era clients did, so catalyze does too; it is an encryption
/// padding with known chosen-ciphertext weaknesses (Bleichenbacher), accepted here because it is
/// what the agents decrypt.
///
/// Encryption cannot be switched off, and the reference documents no answer for `agent/encrypt` on
/// an agent already encrypted, so catalyze never sends it one: it reads `IsEncrypted` first. A new
/// passphrase needs `POST agent/changeencryption` with the old one sealed too (Admin role), which
/// catalyze does not do: a changed reference is refused, unless both resolve to the same
/// passphrase (a renamed variable or file).
extension RackspaceDriver {
    /// Encrypts, before any configuration exists, the vault of every agent in `agents` that is not
    /// encrypted yet with the passphrase `spec`'s `passphrase` reference names. Does nothing
    /// without a `passphrase`. Throws `DriverError.secretUnavailable` (before any change)
    /// when an agent needs the passphrase and it cannot be read.
    func encryptBackupVaults(_ request: ApplyRequest, _ spec: BackupPlanSpec, agents: [BackupAgent], region: String) async throws {
        guard let text = spec.passphrase else { return }
        guard let reference = SecretReference(parsing: text), reference.isResolvable else {
            throw DriverError.invalidSpec(
                address: request.spec.address,
                reason: "'passphrase' must be env:NAME or file:PATH (Cloud Backup needs the passphrase itself, to seal it to each agent)")
        }
        let encrypted = agents.filter { $0.encrypted == true }
        let pending = agents.filter { $0.encrypted != true }
        if let before = try Self.recordedPassphrase(request, over: spec), before != text, !encrypted.isEmpty {
            try checkSamePassphrase(request, before: before, after: reference, encrypted: encrypted.map(\.id))
        }
        guard !pending.isEmpty else { return }
        let passphrase = Self.passphrase(try request.secrets.secret(for: reference))
        for agent in pending {
            let details = try await client.call(.backup, "GET", "agent/\(agent.id)", region: region, action: "GetAgentDetails").body
            if details["IsEncrypted"].bool == true { continue }
            let sealed: String
            switch Self.seal(passphrase, publicKey: details["PublicKey"]) {
            case .success(let hex): sealed = hex
            case .failure(.unusableKey):
                throw DriverError.malformedResponse(
                    service: "backup", action: "GetAgentDetails",
                    detail: "agent \(agent.id): PublicKey is not an RSA key (ModulusHex, ExponentHex) of 2048 bits or more")
            case .failure(.tooLong(let maximum)):
                throw DriverError.invalidSpec(
                    address: request.spec.address,
                    reason: "the passphrase from \(reference) is longer than \(maximum) bytes, the most agent \(agent.id)'s key can seal")
            }
            try await sendEncrypt(agent: agent.id, sealed: sealed, redacting: passphrase, region: region)
        }
    }

    /// `POST agent/encrypt`, sent once (no blind retry of a change). A refusal or no answer is
    /// settled by the agent's own state: encrypted means it took.
    private func sendEncrypt(agent: Int, sealed: String, redacting passphrase: Secret, region: String) async throws {
        let body: JSONValue = ["MachineAgentId": .number(Double(agent)), "EncryptedPasswordHex": .string(sealed)]
        var reply: RackspaceReply?
        do {
            reply = try await client.send(.backup, "POST", "agent/encrypt", body: body, region: region, action: "EncryptAgentVault", retry: false)
        } catch let error as DriverError where error.isRetryable {
            reply = nil
        }
        if let reply, reply.ok { return }
        let after = try await client.call(.backup, "GET", "agent/\(agent)", region: region, action: "GetAgentDetails").body
        if after["IsEncrypted"].bool == true { return }
        guard let reply else {
            throw DriverError.ambiguous(service: "backup", action: "EncryptAgentVault", detail: "no answer, and agent \(agent) is not encrypted yet")
        }
        throw reply.error(redacting: passphrase)
    }

    /// The passphrase reference the lockfile recorded for the plan (nil: none, or no record).
    ///
    /// The record is decoded over the wanted spec: a key an older release did not write (a plan
    /// recorded before `passphrase` existed) is the wanted one, so no change. Its `encrypted` is left
    /// out: refresh records it empty when the agents' listing cannot tell, which a spec cannot hold,
    /// and it is a fact read back, not a wish. A record that still does not decode is refused rather
    /// than read as "no passphrase": that would let a changed reference through while the agents keep
    /// the earlier passphrase, and backups could not be restored with the one recorded.
    static func recordedPassphrase(_ request: ApplyRequest, over spec: BackupPlanSpec) throws -> String? {
        guard var record = request.prior?.attributes else { return nil }
        record["encrypted"] = nil
        var wanted = spec
        wanted.encrypted = nil
        do throws(MalformedSpecText) {
            return try BackupPlanSpec(attributes: wanted.attributes.merging(record) { _, recorded in recorded }).passphrase
        } catch {
            throw DriverError.invalidSpec(address: request.spec.address, reason: "recorded \(error.description)")
        }
    }

    /// A changed `passphrase` reference while vaults are encrypted: allowed only when the earlier
    /// reference still resolves to the very same passphrase (a rename), since Cloud Backup keeps the
    /// first one until `agent/changeencryption`, which catalyze does not call.
    private func checkSamePassphrase(_ request: ApplyRequest, before: String, after: SecretReference, encrypted: [Int]) throws {
        let earlier = SecretReference(parsing: before).flatMap { try? request.secrets.secret(for: $0) }.map(Self.passphrase)
        let now = Self.passphrase(try request.secrets.secret(for: after))
        if let earlier, earlier.reveal() == now.reveal() { return }
        throw DriverError.invalidSpec(
            address: request.spec.address,
            reason: "passphrase changed from \(before) to \(after), but Cloud Backup agent \(encrypted.map(String.init).joined(separator: ", ")) "
                + "is already encrypted with the earlier passphrase; catalyze cannot change a vault passphrase in place "
                + "(Cloud Backup's agent/changeencryption needs the old passphrase and the Admin role): change it in the "
                + "Cloud Backup control panel, or keep backup.passphrase at \(before)")
    }

    /// The passphrase as sealed: the secret without trailing line endings (a file written by
    /// `echo` ends with one, which no one types when restoring).
    static func passphrase(_ secret: Secret) -> Secret {
        var text = secret.reveal()
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text.removeLast() }
        return Secret(text)
    }

    /// Why a passphrase could not be sealed.
    enum SealFailure: Error, Hashable {
        /// The agent's `PublicKey` is missing, not hex, or not RSA of 2048 bits or more.
        case unusableKey
        /// The passphrase (UTF-8) exceeds what one RSAES-PKCS1-v1_5 block of this key holds.
        case tooLong(maximum: Int)
    }

    /// `passphrase` (UTF-8) encrypted with RSAES-PKCS1-v1_5 under `publicKey`
    /// (`{"ModulusHex": "...", "ExponentHex": 10001}`; the exponent may come as a JSON number or a
    /// string, its digits hex either way), as lowercase hex: `EncryptedPasswordHex`.
    static func seal(_ passphrase: Secret, publicKey: JSONValue) -> Result<String, SealFailure> {
        guard let modulus = bytes(hex: publicKey["ModulusHex"].string ?? ""),
              let exponent = bytes(hex: publicKey["ExponentHex"].string ?? ""),
              let key = try? _RSA.Encryption.PublicKey(n: modulus, e: exponent)
        else { return .failure(.unusableKey) }
        let padding = _RSA.Encryption.Padding._WEAK_AND_INSECURE_PKCS_V1_5
        let plain = Array(passphrase.reveal().utf8)
        let maximum = key.maximumEncryptSize(with: padding)
        guard plain.count <= maximum else { return .failure(.tooLong(maximum: maximum)) }
        guard let sealed = try? key.encrypt(plain, padding: padding) else { return .failure(.unusableKey) }
        let digits = Array("0123456789abcdef")
        return .success(String(sealed.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] }))
    }

    /// Big-endian bytes of a hex number (`0x` prefix and an odd digit count allowed); nil if not hex.
    static func bytes(hex text: String) -> [UInt8]? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, digits.allSatisfy(\.isHexDigit) else { return nil }
        let padded = digits.count % 2 == 1 ? "0" + digits : String(digits)
        var result: [UInt8] = []
        result.reserveCapacity(padded.count / 2)
        var index = padded.startIndex
        while index < padded.endIndex {
            let next = padded.index(index, offsetBy: 2)
            guard let byte = UInt8(padded[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}
