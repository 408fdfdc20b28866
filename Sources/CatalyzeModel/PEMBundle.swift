import CatalyzeCore
import Foundation

/// A certificate bundle (resolved from the `certificate` reference of a load balancer) split into
/// the leaf certificate, its chain and the private key.
///
/// The private key stays a `Secret`: it never prints, and the bundle's own description names only
/// what it holds. Errors say what is missing, never any of the content. One parser for every
/// cloud (AWS imports it into ACM, Rackspace sends it as the balancer's TLS termination).
public struct PEMBundle: Sendable, CustomStringConvertible {
    /// The first certificate block.
    public var certificate: String
    /// The remaining certificate blocks, in order (empty when none).
    public var chain: String
    /// The first private key block.
    public var privateKey: Secret

    /// What is wrong with a bundle, without its content.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// No `-----BEGIN CERTIFICATE-----` block.
        case noCertificate
        /// No `-----BEGIN … PRIVATE KEY-----` block.
        case noPrivateKey

        /// The problem in words.
        public var description: String {
            switch self {
            case .noCertificate: "certificate bundle holds no CERTIFICATE block"
            case .noPrivateKey: "certificate bundle holds no PRIVATE KEY block"
            }
        }
    }

    /// Splits `secret` into its blocks (lines trimmed, so CRLF files read the same).
    public init(_ secret: Secret) throws(Problem) {
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
        guard let first = certificates.first else { throw .noCertificate }
        guard let key else { throw .noPrivateKey }
        certificate = first
        chain = certificates.dropFirst().joined()
        privateKey = Secret(key)
    }

    /// What it holds, never the key: `PEM bundle (certificate, 1 chain certificate, private key <redacted>)`.
    public var description: String {
        let chained = chain.components(separatedBy: "-----BEGIN ").count - 1
        return "PEM bundle (certificate, \(chained) chain certificate\(chained == 1 ? "" : "s"), private key \(privateKey))"
    }
}
