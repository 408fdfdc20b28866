import CatalyzeAWS
import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import CatalyzeTestSupport
import Foundation
import Testing

/// One driver value serves every region; the region comes from each request.
@Suite struct AWSDriverMultiRegionTests {
    @Test func replicasGoToTheDRRegion() async throws {
        let moto = try MotoFixture()
        let pod = "dr\(moto.account.suffix(4))"
        var recorded: [ResourceAddress: CloudResource] = [:]
        for (manifestRegion, region, zone) in [("primary", "us-east-1", "us-east-1a"), ("dr", "us-west-2", "us-west-2a")] {
            let hosts = try await moto.allocateHosts(region: region, zone: zone, family: "m5", count: 1)
            let network = moto.spec(.network, "main", region: region, manifestRegion: manifestRegion, ["cidr": "10.60.0.0/16", "subnet_cidr": "10.60.1.0/24", "zone": zone])
            recorded[network.address] = try await moto.apply(.create, network, pod: pod, token: "\(manifestRegion)-net")
            let firewall = moto.spec(.firewall, "main", region: region, manifestRegion: manifestRegion, ["network": network.address.description, "ingress": "tcp/5432/10.60.0.0/16"])
            recorded[firewall.address] = try await moto.apply(.create, firewall, pod: pod, token: "\(manifestRegion)-fw", dependencies: recorded)
            let db = moto.spec(.instance, "db01", region: region, manifestRegion: manifestRegion, [
                "role": "db", "vcpu": "2", "memory_mib": "8192", "host": hosts[0], "zone": zone,
                "network": network.address.description, "firewall": firewall.address.description, "port": "5432",
            ])
            let instance = try #require(try await moto.apply(.create, db, pod: pod, token: "\(manifestRegion)-db01", dependencies: recorded))
            #expect(instance.attributes["host"] == hosts[0])
            #expect(instance.attributes["zone"] == zone)
        }
        let east = try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-east-1")).resources
        let west = try await moto.driver.refresh(RefreshRequest(pod: pod, region: "us-west-2")).resources
        #expect(east.map(\.address.region).allSatisfy { $0 == "primary" } && east.count == 3)
        #expect(west.map(\.address.region).allSatisfy { $0 == "dr" } && west.count == 3)
        let westHosts = try await moto.driver.fleet(FleetRequest(region: "us-west-2")).hosts
        #expect(westHosts.count == 1 && westHosts[0].region == "us-west-2" && westHosts[0].instances.count == 1)
    }
}
