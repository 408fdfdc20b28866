import CatalyzeAccess
import Foundation

/// Human and JSON views of grants and the audit log (two views of the same values).
struct AccessViews {
    let terminal: Terminal

    /// `2026-09-21T14:13:20Z`.
    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    // MARK: list

    struct GrantRow: Encodable {
        let serial: CertificateSerial
        let status: GrantStatus
        let principal: String
        let pod: String
        let region: String?
        let container: String
        let engineer: String
        let reason: String?
        let emergency: Bool
        let sourceAddress: String?
        let keyFingerprint: String
        let issuedAt: Date
        let validAfter: Date
        let validBefore: Date
        let revokedAt: Date?

        init(_ listing: GrantListing) {
            let grant = listing.grant
            serial = grant.serial
            status = listing.status
            principal = grant.principal.name
            pod = grant.principal.pod
            region = grant.principal.region
            container = grant.principal.container
            engineer = grant.engineer
            reason = grant.reason
            emergency = grant.emergency
            sourceAddress = grant.sourceAddress?.description
            keyFingerprint = grant.keyFingerprint
            issuedAt = grant.issuedAt
            validAfter = grant.validAfter
            validBefore = grant.validBefore
            revokedAt = grant.revokedAt
        }
    }

    struct ListReport: Encodable {
        var formatVersion = JSONFormat.version
        let grants: [GrantRow]
    }

    func listJSON(_ listing: [GrantListing]) throws -> String {
        String(decoding: try AccessJSON.encoder.encode(ListReport(grants: listing.map(GrantRow.init))), as: UTF8.self)
    }

    func listTable(_ listing: [GrantListing]) -> String {
        guard !listing.isEmpty else { return "No grants." }
        let header = ["SERIAL", "STATUS", "PRINCIPAL", "ENGINEER", "VALID UNTIL", "REASON"]
        let rows = listing.map { item -> [String] in
            let grant = item.grant
            let reason = (grant.emergency ? "EMERGENCY: " : "") + (grant.reason ?? "")
            return [grant.serial.description, item.status.rawValue, grant.principal.name, grant.engineer,
                    Self.time(grant.validBefore), reason]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        let styled = zip(listing, rows).map { item, cells -> String in
            let text = line(cells)
            switch item.status {
            case .active: return terminal.paint(text, item.grant.emergency ? .yellow : .green)
            case .pending: return text
            case .expired, .revoked: return terminal.paint(text, .dim)
            }
        }
        return ([terminal.paint(line(header), .bold)] + styled).joined(separator: "\n")
    }

    // MARK: audit

    struct AuditReport: Encodable {
        var formatVersion = JSONFormat.version
        let entries: [AuditEntry]
    }

    struct VerificationReport: Encodable {
        var formatVersion = JSONFormat.version
        let intact: Bool
        let path: String
        let entryCount: Int
        let head: AuditAnchor?
        let signedEntries: Int?
        let unsignedEntries: Int?
        let problems: [String]
    }

    func auditJSON(_ entries: [AuditEntry]) throws -> String {
        String(decoding: try AccessJSON.encoder.encode(AuditReport(entries: entries)), as: UTF8.self)
    }

    func auditTable(_ entries: [AuditEntry]) -> String {
        guard !entries.isEmpty else { return "The audit log is empty." }
        return entries.map { entry in
            let details = entry.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return "\(entry.sequence)  \(entry.time)  " + terminal.paint(entry.kind.rawValue, .bold) + "  by \(entry.actor)  \(details)"
        }.joined(separator: "\n")
    }

    func verificationJSON(_ verification: AuditVerification) throws -> String {
        let report = VerificationReport(
            intact: verification.isIntact, path: verification.path, entryCount: verification.entryCount,
            head: verification.head, signedEntries: verification.signedCount, unsignedEntries: verification.unsignedCount,
            problems: verification.problems.map(\.description))
        return String(decoding: try AccessJSON.encoder.encode(report), as: UTF8.self)
    }

    func verificationSummary(_ verification: AuditVerification) -> String {
        let head = verification.head.map { "; head: entry \($0.sequence), hash \($0.hash)" } ?? ""
        var signatures = ""
        if let signed = verification.signedCount, let unsigned = verification.unsignedCount {
            signatures = ", \(signed) signed" + (unsigned > 0 ? ", \(unsigned) unsigned (before 0.2.0)" : "")
        }
        return terminal.paint("✓", .green) + " \(verification.path): \(verification.entryCount) entries, chain intact\(signatures)\(head)"
    }
}
