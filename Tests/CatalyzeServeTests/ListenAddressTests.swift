import CatalyzeServe
import Testing

/// `--listen`: loopback only.
@Suite struct ListenAddressTests {
    @Test func loopbackAddressesOnly() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:8470") == .tcp(host: "127.0.0.1", port: 8470))
        #expect(try ListenAddress(parsing: "[::1]:0") == .tcp(host: "::1", port: 0))
        #expect(try ListenAddress(parsing: "localhost:80") == .tcp(host: "127.0.0.1", port: 80))
        #expect(throws: ListenAddress.Failure.notLoopback("0.0.0.0")) { try ListenAddress(parsing: "0.0.0.0:8470") }
        #expect(throws: ListenAddress.Failure.notLoopback("10.1.2.3")) { try ListenAddress(parsing: "10.1.2.3:8470") }
        #expect(throws: ListenAddress.Failure.malformed("127.0.0.1")) { try ListenAddress(parsing: "127.0.0.1") }
        #expect(throws: ListenAddress.Failure.malformed("127.0.0.1:99999")) { try ListenAddress(parsing: "127.0.0.1:99999") }
    }
}
