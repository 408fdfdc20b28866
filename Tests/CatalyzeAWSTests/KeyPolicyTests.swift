@testable import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// The pod key's policy (`KeyPolicy`): its statements one by one, and as moto stores it. moto does
/// not evaluate key policies, so what the policy allows is checked on the document itself.
@Suite struct KeyPolicyTests {
    static let role = "arn:aws:iam::111122223333:role/catalyze-deployer"
    static let admins = ["arn:aws:iam::444455556666:role/AcmeKeyAdmins", "arn:aws:iam::444455556666:user/alice"]

    static func statement(_ statements: [[String: Any]], _ sid: String) throws -> [String: Any] {
        try #require(statements.first { $0["Sid"] as? String == sid }, "no statement \(sid)")
    }

    static func principal(_ statement: [String: Any]) -> [String] {
        let value = (statement["Principal"] as? [String: Any])?["AWS"]
        return (value as? [String]) ?? (value as? String).map { [$0] } ?? []
    }

    static func actions(_ statement: [String: Any]) -> [String] {
        (statement["Action"] as? [String]) ?? (statement["Action"] as? String).map { [$0] } ?? []
    }

    /// Parses a document as KMS would store it.
    static func statements(_ document: String) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
        #expect(object["Version"] as? String == "2012-10-17")
        return try #require(object["Statement"] as? [[String: Any]])
    }

    /// Checks every statement of a policy with administrators (`region`'s services).
    static func expectCustomerHeld(_ statements: [[String: Any]], catalyze: String, admins: [String], region: String, account: String) throws {
        #expect(statements.map { $0["Sid"] as? String ?? "" } == [
            KeyPolicy.Sid.administrators, KeyPolicy.Sid.management, KeyPolicy.Sid.useThroughServices, KeyPolicy.Sid.grantsForResources,
        ])
        for statement in statements {
            #expect(statement["Effect"] as? String == "Allow" && statement["Resource"] as? String == "*")
            #expect(!actions(statement).contains("kms:*"), "nobody gets every action")
        }
        // The customer's administrators administer: no cryptographic operation among their actions.
        let administrators = try statement(statements, KeyPolicy.Sid.administrators)
        #expect(principal(administrators) == admins.sorted())
        for forbidden in ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"] {
            #expect(!actions(administrators).contains(forbidden))
        }
        #expect(actions(administrators).contains("kms:Put*") && actions(administrators).contains("kms:ScheduleKeyDeletion"))
        // catalyze manages the key's life without using it.
        let management = try statement(statements, KeyPolicy.Sid.management)
        #expect(principal(management) == [catalyze])
        #expect(!actions(management).contains { ["kms:Decrypt", "kms:Encrypt", "kms:CreateGrant"].contains($0) || $0.hasPrefix("kms:GenerateDataKey") })
        // catalyze uses it only through EBS (ec2), AWS Backup and Secrets Manager, in this account.
        let use = try statement(statements, KeyPolicy.Sid.useThroughServices)
        #expect(principal(use) == [catalyze])
        #expect(Set(actions(use)) == ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"])
        let equals = try #require((use["Condition"] as? [String: Any])?["StringEquals"] as? [String: Any])
        #expect(equals["kms:ViaService"] as? [String] == ["backup.\(region).amazonaws.com", "ec2.\(region).amazonaws.com", "secretsmanager.\(region).amazonaws.com"])
        #expect(equals["kms:CallerAccount"] as? String == account)
        // Grants only for AWS resources (EBS attaching a volume to an instance).
        let grants = try statement(statements, KeyPolicy.Sid.grantsForResources)
        #expect(principal(grants) == [catalyze] && Set(actions(grants)) == ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"])
        let bool = try #require((grants["Condition"] as? [String: Any])?["Bool"] as? [String: Any])
        #expect(bool["kms:GrantIsForAWSResource"] as? String == "true")
        // No statement for the account's root: no IAM policy of the operator's account can grant the key's use.
        #expect(!statements.contains { principal($0).contains { $0.hasSuffix(":root") } })
    }

    @Test func aPolicyWithAdministratorsGivesCatalyzeOnlyServiceUse() throws {
        let policy = KeyPolicy(account: "111122223333", region: "eu-west-1", catalyze: Self.role, administrators: Self.admins.reversed())
        try Self.expectCustomerHeld(try Self.statements(policy.document), catalyze: Self.role, admins: Self.admins, region: "eu-west-1", account: "111122223333")
        #expect(policy.document == KeyPolicy(account: "111122223333", region: "eu-west-1", catalyze: Self.role, administrators: Self.admins).document,
                "the same policy is the same text")
        #expect(KeyPolicy.readBack(policy.document) == ("explicit", Self.admins.sorted()))
    }

    @Test func withoutAdministratorsTheAccountRootAdministersAsAWSsDefaultHasIt() throws {
        let policy = KeyPolicy(account: "111122223333", partition: "aws-us-gov", region: "us-gov-west-1", catalyze: Self.role, administrators: [])
        let statements = try Self.statements(policy.document)
        let root = try Self.statement(statements, KeyPolicy.Sid.accountRoot)
        #expect(Self.principal(root) == ["arn:aws-us-gov:iam::111122223333:root"] && Self.actions(root) == ["kms:*"])
        #expect(!statements.contains { $0["Sid"] as? String == KeyPolicy.Sid.administrators })
        #expect(KeyPolicy.readBack(policy.document) == ("explicit", []))
        #expect(KeyPolicy.readBack("{\"Version\":\"2012-10-17\",\"Statement\":[]}").form == "default")
        #expect(KeyPolicy.readBack("not json").form == "default")
    }

    @Test func anAssumedRoleIsNamedByItsRole() {
        #expect(KeyPolicy.principal(callerARN: "arn:aws:sts::111122223333:assumed-role/catalyze-deployer/ci-run-42") == Self.role)
        #expect(KeyPolicy.principal(callerARN: "arn:aws:iam::111122223333:user/ops") == "arn:aws:iam::111122223333:user/ops")
    }

    /// Against moto: CreateKey carries the policy, GetKeyPolicy gives it back statement by
    /// statement; a key made with AWS's default policy (as 0.1.0 made them) reads back `default`,
    /// and an update puts the explicit policy on it (PutKeyPolicy); refresh reads the policy back.
    @Test func theKeyCatalyzeMakesCarriesThePolicyAsMotoStoresIt() async throws {
        let moto = try MotoFixture()
        let caller = try await moto.driver.client.query(.sts, "GetCallerIdentity", region: "us-east-1", [:])
        let callerARN = try #require(caller.string("GetCallerIdentityResult", "Arn"))
        let spec = moto.spec(.key, "storage", [
            "alias": "catalyze/acme-\(moto.account)", "policy": "explicit", "administrators": Self.admins.joined(separator: ","),
        ])
        let key = try #require(try await moto.apply(.create, spec, pod: "acme", token: "t-key"))
        #expect(key.attributes["policy"] == "explicit" && key.attributes["administrators"] == Self.admins.sorted().joined(separator: ","))
        let stored = try await moto.driver.client.json(.kms, "GetKeyPolicy", region: "us-east-1", ["KeyId": key.cloudID, "PolicyName": "default"])
        try Self.expectCustomerHeld(
            try Self.statements(try #require(stored["Policy"] as? String)), catalyze: KeyPolicy.principal(callerARN: callerARN),
            admins: Self.admins, region: "us-east-1", account: try #require(caller.string("GetCallerIdentityResult", "Account")))
        let live = try await moto.driver.refresh(RefreshRequest(pod: "acme", region: "us-east-1")).resources.first { $0.address == spec.address }
        #expect(live?.resource.attributes["policy"] == "explicit")
        #expect(live?.resource.attributes["administrators"] == Self.admins.sorted().joined(separator: ","))

        // A key with AWS's default policy (0.1.0's): refresh says so, an update puts the explicit one.
        let old = moto.spec(.key, "old", ["alias": "catalyze/old-\(moto.account)"])
        let made = try #require(try await moto.apply(.create, old, pod: "acme", token: "t-old"))
        let before = try await moto.driver.refresh(RefreshRequest(pod: "acme", region: "us-east-1")).resources.first { $0.address == old.address }
        #expect(before?.resource.attributes["policy"] == "default")
        var wanted = old
        wanted.attributes["policy"] = "explicit"
        wanted.attributes["administrators"] = Self.admins[0]
        moto.counter.reset()
        let updated = try await moto.apply(.update, wanted, pod: "acme", token: "t-old-2", prior: made)
        #expect(moto.counter.perKey["PutKeyPolicy"] == 1)
        #expect(updated?.attributes["policy"] == "explicit" && updated?.attributes["administrators"] == Self.admins[0])
        let after = try await moto.driver.client.json(.kms, "GetKeyPolicy", region: "us-east-1", ["KeyId": made.cloudID, "PolicyName": "default"])
        #expect(KeyPolicy.readBack(after["Policy"] as? String ?? "") == ("explicit", [Self.admins[0]]))
    }
}
