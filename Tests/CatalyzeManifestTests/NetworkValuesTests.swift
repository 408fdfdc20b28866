import Testing
@testable import CatalyzeManifest

/// CIDR blocks and port ranges as the manifest writes them.
@Suite struct NetworkValuesTests {
    @Test(arguments: ["10.40.0.0/16", "0.0.0.0/0", "192.168.10.0/24", "203.0.113.10/32"])
    func validCIDRsRoundTrip(text: String) throws {
        #expect(try #require(CIDR(parsing: text)).description == text)
    }

    @Test(arguments: ["10.40.0.1/16", "10.40.0.0/33", "10.40.0/16", "10.40.0.0", "256.0.0.0/8", "010.0.0.0/8", "10.0.0.0/-1", "10.0.0.0/ 8", ""])
    func invalidCIDRs(text: String) {
        #expect(CIDR(parsing: text) == nil)
    }

    @Test func containment() throws {
        let pod = try #require(CIDR(parsing: "10.40.0.0/16"))
        #expect(pod.contains(try #require(CIDR(parsing: "10.40.3.0/24"))))
        #expect(!pod.contains(try #require(CIDR(parsing: "10.41.0.0/24"))))
        #expect(!pod.contains(try #require(CIDR(parsing: "10.0.0.0/8"))))
        #expect(try #require(CIDR(parsing: "0.0.0.0/0")).contains(pod))
        #expect(pod.firstSubnet.description == "10.40.0.0/24")
        #expect(try #require(CIDR(parsing: "10.40.0.0/28")).firstSubnet.description == "10.40.0.0/28")
    }

    @Test(arguments: [("443", 443, 443), ("8000-8100", 8000, 8100), ("1-65535", 1, 65535)])
    func validPortRanges(text: String, from: Int, to: Int) throws {
        let range = try #require(PortRange(parsing: text))
        #expect(range.from == from && range.to == to)
        #expect(range.description == text)
    }

    @Test(arguments: ["0", "65536", "8100-8000", "80-", "-80", "http", "80-90-100", " 80"])
    func invalidPortRanges(text: String) {
        #expect(PortRange(parsing: text) == nil)
    }
}
