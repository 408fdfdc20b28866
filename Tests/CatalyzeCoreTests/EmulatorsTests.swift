import CatalyzeTestSupport
import Foundation
import Testing

@Suite("Emulators: the test peers answer where the helper says")
struct EmulatorsTests {
    @Test("moto answers an unsigned GET (S3 ListBuckets) for a fresh account, with no buckets")
    func motoAnswers() async throws {
        let account = Emulators.uniqueAccountID()
        #expect(account.count == 12 && account.allSatisfy(\.isNumber))
        let reply = try await EmulatorHTTP.send(
            "GET", try Emulators.motoURL(), headers: [Emulators.motoAccountHeader: account])
        #expect(reply.status == 200)
        #expect(reply.text.contains("<ListAllMyBucketsResult"))
        #expect(!reply.text.contains("<Bucket>"))
    }

    @Test("mimic's Identity v2 issues a token for a fresh tenant, with a compute endpoint in the catalog")
    func mimicAuthenticates() async throws {
        let tenant = Emulators.uniqueTenantID()
        let reply = try await EmulatorHTTP.sendJSON(
            "POST", try Emulators.mimicIdentityURL(), Emulators.mimicAuthRequest(tenantID: tenant))
        #expect(reply.status == 200)
        let access = try #require(try reply.json()["access"] as? [String: Any])
        let token = try #require(access["token"] as? [String: Any])
        #expect((token["id"] as? String)?.isEmpty == false)
        #expect((token["tenant"] as? [String: Any])?["id"] as? String == tenant)
        let catalog = try #require(access["serviceCatalog"] as? [[String: Any]])
        let compute = try #require(catalog.first { $0["type"] as? String == "compute" && $0["name"] as? String == "cloudServersOpenStack" })
        let endpoints = try #require(compute["endpoints"] as? [[String: Any]])
        let mimicHost = try Emulators.mimicURL().host
        #expect(endpoints.contains { ($0["publicURL"] as? String).flatMap(URL.init(string:))?.host == mimicHost })
    }

    @Test("two unique ids differ, and tenant ids are URL-safe")
    func uniqueIDs() {
        #expect(Emulators.uniqueTenantID() != Emulators.uniqueTenantID())
        #expect(Emulators.uniqueTenantID().allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" })
    }
}
