import CatalyzeModel

/// `flow_log.main`: the pod's traffic is recorded where the cloud can (a VPC flow log on AWS), for
/// as long as its logs are kept, encrypted with `key.storage` when encryption is on.
enum FlowLogDesire: KindDesire {
    static var kind: ResourceKind { .flowLog }

    static func resources(in r: RegionDesire) -> [ResourceSpec] {
        let manifest = r.manifest
        guard manifest.logging.enabled, ResourceKind.flowLog.isOffered(by: r.provider) else { return [] }
        return [r.spec("main", FlowLogSpec(
            network: r.ref(.network, "main"), key: manifest.encryption.enabled ? r.ref(.key, "storage") : nil,
            retentionDays: FlowLogSpec.retentionDays(atLeast: manifest.logging.retention.seconds)))]
    }
}
