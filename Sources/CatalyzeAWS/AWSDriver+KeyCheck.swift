import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// A customer-owned key checked at plan time, not only when apply reaches it.
///
/// A key the customer holds (`encryption.key: arn:aws:kms:…`) can be disabled or scheduled for
/// deletion by the customer at any moment; EBS then refuses every volume and launch under it, so a
/// plan that proposes them would fail half-way through its apply. DescribeKey's `KeyState` (AWS
/// KMS API reference, DescribeKey, `KeyMetadata.KeyState`: Creating | Enabled | Disabled |
/// PendingDeletion | PendingImport | PendingReplicaDeletion | Unavailable | Updating) says it.
extension AWSDriver {
    /// Refuses, before anything is proposed, a region whose key is the customer's own and is not
    /// `Enabled`, naming the key and its state; a key the customer's account does not let catalyze
    /// describe is refused naming the key and KMS's answer.
    public func check(_ request: CheckRequest) async throws {
        for spec in request.desired where spec.kind == .key {
            let key: KeySpec
            do { key = try KeySpec(spec) } catch { throw DriverError.invalidSpec(address: spec.address, reason: error.description) }
            guard let customer = key.customerKey else { continue }
            let metadata: KeyMetadata
            do {
                metadata = try await describeKey(customer, region: request.region)
            } catch let error as DriverError where error.isNotFound || error.awsCode == "AccessDeniedException" {
                throw DriverError.invalidSpec(
                    address: spec.address,
                    reason: "encryption.key \(customer) cannot be used in \(request.region): KMS answers \(error.awsCode ?? "not found") "
                        + "(the key must exist in that region and its policy or a grant must let catalyze describe it)")
            }
            guard metadata.state == "Enabled" else {
                let fix = metadata.state == "PendingDeletion"
                    ? "the customer can cancel the deletion (CancelKeyDeletion) and enable it (EnableKey)"
                    : "the customer can enable it (EnableKey)"
                throw DriverError.invalidSpec(
                    address: spec.address,
                    reason: "encryption.key \(customer) is \(metadata.state) in \(request.region), not Enabled: "
                        + "no volume or instance can be encrypted with it; \(fix), or name another key")
            }
        }
    }
}
