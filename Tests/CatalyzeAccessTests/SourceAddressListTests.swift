import Testing
@testable import CatalyzeAccess

@Suite struct SourceAddressListTests {
    @Test(arguments: ["127.0.0.2", "127.0.0.2/32", "10.0.0.0/8", "10.0.0.0/8, 192.0.2.7", "2001:db8::/32", "::1", "0.0.0.0/0"])
    func acceptsAddressesAndBlocks(_ text: String) throws {
        let list = try SourceAddressList(parsing: text)
        #expect(!list.blocks.isEmpty)
        #expect(!list.description.contains(" "))
    }

    @Test(arguments: ["", "nope", "10.0.0.0/33", "10.0.0.1/8", "1.2.3.4/x", "1.2.3.4/8/9", "10.0.0.0/8,", "2001:db8::1/32"])
    func refusesMalformedBlocks(_ text: String) {
        #expect(throws: AccessError.self) { try SourceAddressList(parsing: text) }
    }
}
