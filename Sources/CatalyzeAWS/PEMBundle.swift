import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel

/// A PEM bundle split into the leaf certificate, its chain and the private key (kept in a `Secret`).
/// Errors say what is missing, never any of the content.
struct PEMBundle: Sendable {
    /// The first certificate block.
    var certificate: String
    /// The remaining certificate blocks, in order.
    var chain: String
    /// The private key block.
    var privateKey: Secret

    init(_ secret: Secret, address: ResourceAddress) throws {
        var certificates: [String] = []
        var key: String?
        var current: [Substring] = []
        var label: Substring?
        for line in secret.reveal().split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("-----BEGIN ") {
                label = Substring(trimmed)
                current = [Substring(trimmed)]
            } else if trimmed.hasPrefix("-----END "), let begin = label {
                current.append(Substring(trimmed))
                let block = current.joined(separator: "\n") + "\n"
                if begin.contains("CERTIFICATE") {
                    certificates.append(block)
                } else if begin.contains("PRIVATE KEY"), key == nil {
                    key = block
                }
                label = nil
                current = []
            } else if label != nil {
                current.append(Substring(trimmed))
            }
        }
        guard let first = certificates.first else {
            throw DriverError.invalidSpec(address: address, reason: "certificate bundle holds no CERTIFICATE block")
        }
        guard let key else {
            throw DriverError.invalidSpec(address: address, reason: "certificate bundle holds no PRIVATE KEY block")
        }
        certificate = first
        chain = certificates.dropFirst().joined()
        privateKey = Secret(key)
    }
}
