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
}
