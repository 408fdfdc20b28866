import CatalyzeCore
import Testing

@Suite struct QuantitiesTests {
    @Test func parsesByteSizesWithUnits() {
        #expect(ByteSize(parsing: "100GiB")?.bytes == 100 << 30)
        #expect(ByteSize(parsing: "512MiB")?.bytes == 512 << 20)
        #expect(ByteSize(parsing: "1TB")?.bytes == 1_000_000_000_000)
        #expect(ByteSize(parsing: "100") == nil)
        #expect(ByteSize(parsing: "GiB") == nil)
        #expect(ByteSize(parsing: "1.5GiB") == nil)
        #expect(ByteSize(parsing: "99999999999TiB") == nil)
        #expect(ByteSize(parsing: "100GiB")?.description == "100GiB")
    }

    @Test func parsesTimeSpans() {
        #expect(TimeSpan(parsing: "2h")?.seconds == 7_200)
        #expect(TimeSpan(parsing: "1h30m")?.seconds == 5_400)
        #expect(TimeSpan(parsing: "30m1h") == nil)
        #expect(TimeSpan(parsing: "2x") == nil)
        #expect(TimeSpan(parsing: "") == nil)
        #expect(TimeSpan(parsing: "5") == nil)
        #expect(TimeSpan(seconds: 5_400).description == "1h30m")
    }

    @Test func secretsNeverPrint() {
        let secret = Secret("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(secret.reveal() == "hunter2")
    }

    @Test func parsesSecretReferences() {
        #expect(SecretReference(parsing: "env:DB_PASSWORD") == .environment("DB_PASSWORD"))
        #expect(SecretReference(parsing: "file:keys/tls.pem") == .file("keys/tls.pem"))
        #expect(SecretReference(parsing: "kms:alias/acme") == .keyService("alias/acme"))
        #expect(SecretReference(parsing: "hunter2") == nil)
        #expect(SecretReference(parsing: "env:") == nil)
        #expect(SecretReference(parsing: "env:1BAD") == nil)
    }
}
