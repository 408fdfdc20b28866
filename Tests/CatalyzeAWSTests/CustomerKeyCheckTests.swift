@testable import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// A customer-owned key (`encryption.key: arn:aws:kms:…`) that is disabled or pending deletion
/// fails at plan time (`AWSDriver.check`), naming the key and its DescribeKey `KeyState`.
@Suite struct CustomerKeyCheckTests {
    /// A key as the customer makes it: its ARN (what the manifest names) and id.
    static func customerKey(_ moto: MotoFixture) async throws -> (arn: String, id: String) {
        let reply = try await moto.driver.client.json(.kms, "CreateKey", region: "us-east-1", ["Description": "the customer's"], idempotent: false)
        let metadata = reply["KeyMetadata"] as? [String: Any]
        return (try #require(metadata?["Arn"] as? String), try #require(metadata?["KeyId"] as? String))
    }

    static func check(_ moto: MotoFixture, key: String) async throws {
        let spec = moto.spec(.key, "storage", ["alias": "catalyze/acme/primary", "customer_key": key])
        try await moto.driver.check(CheckRequest(region: "us-east-1", desired: [spec], live: []))
    }

    @Test func anEnabledCustomerKeyPasses() async throws {
        let moto = try MotoFixture()
        try await Self.check(moto, key: try await Self.customerKey(moto).arn)
        #expect(moto.counter.perKey["DescribeKey"] == 1)
    }

    @Test func aDisabledCustomerKeyFailsThePlanNamingItAndItsState() async throws {
        let moto = try MotoFixture()
        let (key, id) = try await Self.customerKey(moto)
        _ = try await moto.driver.client.json(.kms, "DisableKey", region: "us-east-1", ["KeyId": id])
        let error = await #expect(throws: DriverError.self) { try await Self.check(moto, key: key) }
        let message = error?.description ?? ""
        #expect(message.contains("primary/key.storage") && message.contains(key) && message.contains("is Disabled in us-east-1"), "\(message)")
        #expect(message.contains("EnableKey"))
    }

    @Test func aCustomerKeyPendingDeletionFailsThePlan() async throws {
        let moto = try MotoFixture()
        let (key, id) = try await Self.customerKey(moto)
        _ = try await moto.driver.client.json(.kms, "ScheduleKeyDeletion", region: "us-east-1", ["KeyId": id, "PendingWindowInDays": 7])
        let error = await #expect(throws: DriverError.self) { try await Self.check(moto, key: key) }
        let message = error?.description ?? ""
        #expect(message.contains(key) && message.contains("is PendingDeletion") && message.contains("CancelKeyDeletion"), "\(message)")
    }

    @Test func anUnknownCustomerKeyFailsThePlan() async throws {
        let moto = try MotoFixture()
        let key = "arn:aws:kms:us-east-1:\(moto.account):key/00000000-0000-0000-0000-000000000000"
        let error = await #expect(throws: DriverError.self) { try await Self.check(moto, key: key) }
        #expect((error?.description ?? "").contains("encryption.key \(key) cannot be used in us-east-1"), "\(error?.description ?? "")")
    }

    /// A key catalyze makes is not described at plan time: nothing to check before it exists.
    @Test func thePodsOwnKeyIsNotDescribed() async throws {
        let moto = try MotoFixture()
        let spec = moto.spec(.key, "storage", ["alias": "catalyze/acme/primary"])
        try await moto.driver.check(CheckRequest(region: "us-east-1", desired: [spec], live: []))
        #expect(moto.counter.total == 0)
    }

    /// A customer's key is used through a grant for catalyze's principal (the operations EBS needs),
    /// made once however often the create is retried (moto made idempotent by name, as KMS is), and
    /// retired on destroy; its policy is never changed and it is never scheduled for deletion.
    @Test func aCustomerKeyIsUsedThroughAGrantRetiredOnDestroy() async throws {
        let moto = try MotoFixture()
        let (arn, id) = try await Self.customerKey(moto)
        func policy() async throws -> String {
            try await moto.driver.client.json(.kms, "GetKeyPolicy", region: "us-east-1", ["KeyId": id, "PolicyName": "default"])["Policy"] as? String ?? ""
        }
        func grants() async throws -> [[String: Any]] {
            try await moto.driver.client.json(.kms, "ListGrants", region: "us-east-1", ["KeyId": id])["Grants"] as? [[String: Any]] ?? []
        }
        let before = try await policy()
        let spec = moto.spec(.key, "storage", ["alias": "catalyze/acme-\(moto.account)", "customer_key": arn])
        let adopted = try #require(try await moto.apply(.create, spec, pod: "acme", token: "t-key"))
        #expect(adopted.outputs["adopted"] == "true")
        let grant = try #require(adopted.outputs["grant_id"])
        let caller = try await moto.driver.client.query(.sts, "GetCallerIdentity", region: "us-east-1", [:])
        let principal = KeyPolicy.principal(callerARN: caller.string("GetCallerIdentityResult", "Arn") ?? "")
        var listed = try await grants()
        #expect(listed.count == 1)
        #expect(listed.first?["GrantId"] as? String == grant && listed.first?["GranteePrincipal"] as? String == principal)
        #expect(Set(listed.first?["Operations"] as? [String] ?? []) == Set(AWSDriver.customerKeyGrantOperations))
        #expect(listed.first?["RetiringPrincipal"] as? String == principal)

        // A retried create (same token) finds the same grant.
        let again = try #require(try await moto.apply(.create, spec, pod: "acme", token: "t-key"))
        let grantsAfterRetry = try await grants().count
        #expect(again.outputs["grant_id"] == grant && grantsAfterRetry == 1)
        #expect(try await policy() == before, "the customer's policy is never changed")

        _ = try await moto.apply(.delete, spec, pod: "acme", token: "t-key-del", prior: adopted)
        listed = try await grants()
        #expect(listed.isEmpty, "the grant is retired: \(listed)")
        let state = try await moto.driver.client.json(.kms, "DescribeKey", region: "us-east-1", ["KeyId": id])
        #expect((state["KeyMetadata"] as? [String: Any])?["KeyState"] as? String == "Enabled", "the customer's key is never deleted")
        #expect(try await policy() == before)
    }
}
