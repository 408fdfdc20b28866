import CatalyzeCore
import CatalyzeModel

/// Idempotency tokens: short, ASCII, derived from the resource's identity so that a retried or
/// resumed create carries the same token (AWS `ClientToken` ≤ 64 characters; Rackspace `catalyze:op`).
public enum OperationToken {
    /// `cz-<16 hex>`: FNV-1a 64 of lineage, address, operation and generation (the lockfile serial
    /// the plan was made at). Deterministic: the same plan always carries the same tokens.
    public static func make(lineage: String, address: ResourceAddress, operation: String, generation: Int) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(lineage)|\(address)|\(operation)|\(generation)".utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "cz-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
