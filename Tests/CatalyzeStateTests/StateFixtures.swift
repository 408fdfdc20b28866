import CatalyzeCore
import CatalyzeModel
import CatalyzeState
import Foundation

/// Deterministic lockfiles for tests: realistic records, including text that needs escaping.
enum StateFixtures {
    /// A fixed lineage.
    static let lineage = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b"

    /// A record for resource number `index`.
    static func record(_ index: Int) -> ResourceRecord {
        let kinds: [ResourceKind] = [.instance, .volume, .attachment, .firewallRule, .lbTarget]
        let kind = kinds[index % kinds.count]
        let region = index % 3 == 0 ? "dr" : "primary"
        let address = ResourceAddress(region: region, kind: kind, name: "r\(index)")
        let network = ResourceAddress(region: region, kind: .network, name: "main")
        let firewall = ResourceAddress(region: region, kind: .firewall, name: "main")
        var attributes = [
            "role": index % 2 == 0 ? "app" : "db", "vcpu": "\(2 + index % 6)", "memory_mib": "\(4096 * (1 + index % 4))",
            "host": "h-\(String(index % 97, radix: 16))", "zone": "us-east-1\(["a", "b", "c"][index % 3])",
            "image": "ami-0abc\(index % 13)", "network": network.description, "firewall": firewall.description,
            "principals": "pod-\(index),ops",
        ]
        if index % 1000 == 7 { attributes["note"] = "quote \" backslash \\ tab \t newline \n é 🚀 \u{1}" }
        return ResourceRecord(
            address: address, kind: kind, provider: index % 4 == 0 ? .rax : .aws,
            cloudRegion: index % 4 == 0 ? "ORD" : "us-east-1", cloudID: "i-\(String(index * 7919, radix: 16))",
            attributes: attributes,
            outputs: ["private_ip": "10.\(index / 65536 % 256).\(index / 256 % 256).\(index % 256)",
                      "arn": "arn:aws:ec2:us-east-1:123456789012:instance/i-\(index)"],
            dependencies: [network, firewall], token: "tok-\(index)")
    }

    /// A lockfile with `count` resources and a two-entry journal.
    static func lockfile(resources count: Int, pod: String = "acme", serial: Int = 0) -> Lockfile {
        var lockfile = Lockfile.new(pod: pod, lineage: lineage)
        lockfile.serial = serial
        lockfile.resources.reserveCapacity(count)
        for index in 0..<count {
            let record = record(index)
            lockfile.resources[record.address] = record
        }
        lockfile.journal = [
            JournalEntry(
                token: "tok-pending-1", operation: .create,
                address: ResourceAddress(region: "primary", kind: .volume, name: "db01"), kind: .volume,
                provider: .aws, cloudRegion: "us-east-1", attributes: ["size_gib": "100", "encrypted": "true"],
                startedAt: Date(timeIntervalSince1970: 1_795_000_000.123)),
            JournalEntry(
                token: "tok-pending-2", operation: .delete,
                address: ResourceAddress(region: "dr", kind: .instance, name: "old"), kind: .instance,
                provider: .rax, cloudRegion: "ORD", attributes: [:], startedAt: Date(timeIntervalSince1970: 1_795_000_001)),
        ]
        return lockfile
    }

    /// A lock request from this process.
    static func request(id: String, command: String = "catalyze apply", pid: Int32 = getpid()) -> LockRequest {
        LockRequest(
            id: id, pid: pid, host: "testhost", user: "tester", command: command,
            createdAt: Date(timeIntervalSince1970: 1_795_000_000))
    }
}
