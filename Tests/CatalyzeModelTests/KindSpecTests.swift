@testable import CatalyzeModel
import Testing

/// The kinds' definitions and their typed specs: one canonical encoding, errors that name the key.
@Suite struct KindSpecTests {
    @Test func everyKindIsFoundByItsNameAndRanksInListOrder() throws {
        for (index, kind) in ResourceKind.allCases.enumerated() {
            #expect(ResourceKind(rawValue: kind.rawValue) == kind)
            #expect(kind.rank == index)
        }
        #expect(ResourceKind(rawValue: "nonsense") == nil)
        #expect(Set(ResourceKind.allCases.map(\.rawValue)).count == ResourceKind.allCases.count, "names are unique")
        for kind in ResourceKind.allCases {
            #expect(kind.rawValue.utf8.count <= 15, "\(kind): a name of at most 15 bytes is kept inline (copies cost no reference counting)")
            #expect(kind.definition.name == kind.rawValue)
        }
    }

    /// The kinds are what the `Registry` build plugin found: every `KindSpec` of the model target,
    /// each its own kind, with a unique name and rank, and a name short enough to stay inline.
    @Test func everyKindSpecOfTheModelIsOneKind() {
        #expect(registeredKindSpec.count == ResourceKind.allCases.count)
        #expect(Set(registeredKindSpec.map { $0.kind }) == Set(ResourceKind.allCases))
        for spec in registeredKindSpec { #expect(spec.definition.name == spec.kind.rawValue, "\(spec) names another kind's definition") }
        #expect(Set(KindDefinition.all.map(\.name)).count == KindDefinition.all.count, "two kinds of one name")
        #expect(Set(KindDefinition.all.map(\.rank)).count == KindDefinition.all.count, "two kinds of one rank")
        for kind in ResourceKind.allCases { #expect(kind.rawValue.utf8.count <= 15, "\(kind): at most 15 bytes") }
    }

    @Test func aKindDependsOnlyOnKindsCreatedBeforeIt() {
        // The apply graph relies on it; a reference key names the kind it points to by convention
        // of its value, so check with the specs DesiredState makes (see DesiredSpecRoundTripTests).
        #expect(ResourceKind.network < ResourceKind.firewall)
        #expect(ResourceKind.volume < ResourceKind.attachment)
        #expect(ResourceKind.instance < ResourceKind.lbTarget)
    }

    @Test func optionalKeysStayAbsentAndEmptyListsStayEmpty() throws {
        let plan = BackupPlanSpec(intervalHours: 24, retentionDays: 35)
        #expect(plan.attributes == ["interval": "24", "retention_days": "35", "copy_to": ""])
        #expect(try BackupPlanSpec(attributes: plan.attributes) == plan)
        let rax = BackupPlanSpec(
            intervalHours: 24, retentionDays: 30, instances: [ResourceAddress(parsing: "primary/instance.db02")!,
                                                               ResourceAddress(parsing: "primary/instance.db01")!],
            passphrase: "env:PASS", encrypted: true)
        #expect(rax.attributes["instances"] == "primary/instance.db01,primary/instance.db02")
        #expect(rax.attributes["encrypted"] == "true")
        let volume = VolumeSpec(sizeGiB: 100, encrypted: false, zone: "us-east-1a", key: nil)
        #expect(volume.attributes == ["size_gib": "100", "encrypted": "false", "zone": "us-east-1a"])
        let vpn = VPNSpec(network: ResourceAddress(parsing: "primary/network.main")!, peerIP: "203.0.113.9", remoteCIDRs: [])
        #expect(vpn.attributes["remote_cidrs"] == "", "no routes is written, not left out (empty means none)")
    }

    @Test func aMissingOrMalformedKeyIsNamed() throws {
        var attributes = VolumeSpec(sizeGiB: 10, encrypted: true, zone: "z", key: ResourceAddress(parsing: "primary/key.storage")).attributes
        attributes["size_gib"] = "ten"
        #expect(throws: MalformedSpecText(what: "attribute 'size_gib'", text: "ten", form: "a whole number")) {
            try VolumeSpec(attributes: attributes)
        }
        attributes["size_gib"] = "10"
        attributes["key"] = "storage"
        #expect(throws: MalformedSpecText(what: "attribute 'key'", text: "storage", form: "region/kind.name")) {
            try ResourceKind.volume.canonical(attributes)
        }
        let spec = ResourceSpec(
            address: ResourceAddress(parsing: "primary/volume.db01")!, kind: .volume, provider: .aws, cloudRegion: "us-east-1",
            attributes: ["encrypted": "yes", "size_gib": "1"])
        #expect(throws: MalformedSpecText(what: "primary/volume.db01 attribute 'encrypted'", text: "yes", form: "true or false")) {
            try VolumeSpec(spec)
        }
    }

    @Test func aSpecOfAnotherKindIsRefused() {
        let spec = ResourceSpec(
            address: ResourceAddress(parsing: "primary/volume.db01")!, kind: .volume, provider: .aws, cloudRegion: "us-east-1",
            attributes: [:])
        #expect(throws: MalformedSpecText.self) { try InstanceSpec(spec) }
    }

    @Test func kindsEncodeAsTheirNames() throws {
        #expect(ResourceKind.loadBalancer.description == "load_balancer")
        #expect(ResourceAddress(parsing: "dr/backup_plan.main")?.kind == .backupPlan)
    }
}
