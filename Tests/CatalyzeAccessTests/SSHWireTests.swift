import Testing
@testable import CatalyzeAccess

@Suite struct SSHWireTests {
    @Test func roundTripsEveryFieldType() throws {
        var writer = SSHWireWriter()
        writer.byte(7)
        writer.boolean(true)
        writer.uint32(0xDEAD_BEEF)
        writer.uint64(0x0102_0304_0506_0708)
        writer.string("ssh-ed25519")
        writer.string([UInt8]())
        var reader = SSHWireReader(writer.bytes)
        #expect(try reader.byte() == 7)
        #expect(try reader.boolean())
        #expect(try reader.uint32() == 0xDEAD_BEEF)
        #expect(try reader.uint64() == 0x0102_0304_0506_0708)
        #expect(try reader.text() == "ssh-ed25519")
        #expect(try reader.string().isEmpty)
        #expect(reader.isAtEnd)
    }

    @Test func encodesBigEndianLengthPrefixedStrings() {
        var writer = SSHWireWriter()
        writer.string("ab")
        #expect(writer.bytes == [0, 0, 0, 2, 0x61, 0x62])
    }

    @Test func truncatedInputThrows() {
        var reader = SSHWireReader([0, 0, 0, 9, 1, 2])
        #expect(throws: SSHWireError.truncated) { try reader.string() }
    }
}
