import CatalyzeCore
import CatalyzeModel
import Testing

@Suite struct CloudCatalogTests {
    @Test func everyCloudHasOneEntryDescribingItself() {
        #expect(CloudCatalog.all.map(\.provider) == Provider.allCases)
        for cloud in CloudCatalog.all {
            #expect(!cloud.regions.isEmpty)
            #expect(cloud.regions.contains(cloud.starterRegions.primary) && cloud.regions.contains(cloud.starterRegions.dr))
            #expect(cloud.kinds == Set(ResourceKind.allCases.filter { $0.isOffered(by: cloud.provider) }), "the kinds' own definitions say")
            #expect(cloud.kinds.contains(.flowLog) == (cloud.provider == .aws), "only AWS publishes flow logs")
            #expect(!cloud.hardwareFirewall)
        }
    }

    @Test func theCloudsDifferWhereTheManifestRulesSayTheyDo() {
        #expect(CloudCatalog.aws.existingNetwork && !CloudCatalog.rackspace.existingNetwork)
        #expect(CloudCatalog.aws.secondSubnet && !CloudCatalog.rackspace.secondSubnet)
        #expect(!CloudCatalog.aws.serves(ListenerProtocol.tlsPassthrough, on: "application"))
        #expect(CloudCatalog.rackspace.serves(ListenerProtocol.tlsPassthrough, on: "application"))
        #expect(CloudCatalog.aws.passthroughBesideOtherListeners && !CloudCatalog.rackspace.passthroughBesideOtherListeners)
        #expect(CloudCatalog.aws.backupEncryption == .podKey && CloudCatalog.rackspace.backupEncryption == .customerPassphrase)
        #expect(Set(CloudCatalog.all.map(\.provider)).isSuperset(of: [.aws, .rax]))
        #expect(CloudCatalog.all.map(\.provider.rawValue) == CloudCatalog.all.map(\.provider.rawValue).sorted(), "in name order")
        for cloud in CloudCatalog.all { #expect(Provider(rawValue: cloud.provider.rawValue) == cloud.provider) }
        #expect(Provider(rawValue: "gcp") == nil, "only a registered cloud is a provider")
    }
}
