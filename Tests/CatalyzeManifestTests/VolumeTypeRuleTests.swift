import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// `encryption.volumeType` only means something on a cloud that picks volume types by name
/// (Rackspace); on a pod with no region there it is a warning at its value, never an error.
@Suite struct VolumeTypeRuleTests {
    typealias T = ManifestTesting

    /// `validHipaa` (AWS) with `encryption.volumeType` set, and where its value stands.
    static func aws(volumeType: String = "LUKS") -> (text: String, at: SourceLocation) {
        let text = T.validHipaa + "encryption:\n  volumeType: \(volumeType)\n"
        return (text, T.position(of: volumeType, in: text)!)
    }

    @Test func anAWSPodNamingAVolumeTypeIsWarnedAtTheValue() throws {
        let (text, at) = Self.aws()
        let result = T.load(text)
        let issue = ManifestIssue.unusedVolumeType(type: "LUKS", clouds: ["Rackspace"])
        #expect(result.errors.isEmpty && result.manifest != nil, "a warning, not an error")
        #expect(result.warnings == [.init(issue, at: at, severity: .warning)])
        #expect(issue.code == "unused-volume-type")
        #expect(issue.message.contains("'LUKS' is ignored") && issue.message.contains("Rackspace"))
        #expect(issue.hint?.contains("remove 'volumeType'") == true)
    }

    @Test func aPodWithARackspaceRegionUsesItQuietly() {
        let text = T.validHipaa.replacingOccurrences(
            of: "    region: us-east-1\n", with: "    region: us-east-1\n  - { name: dr, provider: rax, region: DFW, role: dr }\n")
            + "encryption:\n  volumeType: LUKS\n"
        #expect(!T.load(text).issues.contains { if case .unusedVolumeType = $0 { true } else { false } })
    }
}

/// `encryption.keyAdministrators`: IAM ARNs, each checked at its position.
@Suite struct KeyAdministratorsTests {
    typealias T = ManifestTesting

    @Test func iamARNsAreRead() throws {
        let text = T.validHipaa + """
            encryption:
              keyAdministrators: [arn:aws:iam::444455556666:role/AcmeKeyAdmins, "arn:aws:iam::444455556666:user/ops/alice", arn:aws:iam::444455556666:root]

            """
        let result = T.load(text)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.manifest?.encryption.keyAdministrators == [
            "arn:aws:iam::444455556666:role/AcmeKeyAdmins", "arn:aws:iam::444455556666:user/ops/alice", "arn:aws:iam::444455556666:root",
        ])
    }

    @Test func anythingElseIsAnErrorAtItsPosition() throws {
        let bad = ["arn:aws:iam::4444:role/Short", "arn:aws:sts::444455556666:assumed-role/R/s", "alice", "arn:aws:iam::444455556666:group/admins"]
        let text = T.validHipaa + "encryption:\n  keyAdministrators:\n" + bad.map { "    - \"\($0)\"\n" }.joined()
        let result = T.load(text)
        #expect(result.manifest == nil)
        #expect(result.errors.count == bad.count, "\(result.errors)")
        for (index, value) in bad.enumerated() {
            let expected = ManifestIssue.invalidValue(path: "encryption.keyAdministrators[\(index)]", value: value, expected: IAMPrincipalARN.expected)
            let at = try #require(T.position(of: "\"\(value)\"", in: text))
            #expect(result.errors.contains(.init(expected, at: at)), "\(value) at \(at): \(result.errors)")
        }
    }
}
