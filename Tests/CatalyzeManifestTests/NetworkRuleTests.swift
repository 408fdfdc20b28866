import CatalyzeCore
import Testing
@testable import CatalyzeManifest

/// The subnet lies inside the pod network; the customer's VPN networks do not overlap it.
@Suite struct NetworkRuleTests {
    typealias T = ManifestTesting

    @Test func subnetOutsideTheNetwork() {
        let result = T.load(T.validHipaa + "network:\n  cidr: 10.40.0.0/16\n  subnetCidr: 10.41.0.0/24\n")
        #expect(result.diagnostics == [
            .init(.invalidValue(path: "network.subnetCidr", value: "10.41.0.0/24", expected: "a block inside 10.40.0.0/16"),
                  at: SourceLocation(file: "pod.yaml", line: 20, column: 15)),
        ])
    }

    @Test func vpnNetworkOverlappingThePod() {
        let text = T.validHipaa + "network: { cidr: 10.40.0.0/16 }\nfirewall:\n  vpn:\n    peer: 203.0.113.10\n    remoteCidrs: [192.168.0.0/16, 10.0.0.0/8]\n"
        let result = T.load(text)
        #expect(result.diagnostics == [
            .init(.invalidValue(path: "firewall.vpn.remoteCidrs[1]", value: "10.0.0.0/8",
                                expected: "a customer network that does not overlap the pod network 10.40.0.0/16"),
                  at: SourceLocation(file: "pod.yaml", line: 22, column: 35)),
        ])
    }

    @Test func defaultSubnetIsTheFirstSlash24() throws {
        let manifest = try #require(T.load(T.validHipaa + "network: { cidr: 10.7.0.0/16 }\n").manifest)
        #expect(manifest.network.subnetCidr.description == "10.7.0.0/24")
    }
}
