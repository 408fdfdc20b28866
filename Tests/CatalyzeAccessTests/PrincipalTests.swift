import CatalyzeCore
import Foundation
import Testing
@testable import CatalyzeAccess

@Suite struct PrincipalTests {
    @Test func namesPodRegionContainer() throws {
        #expect(try Principal(pod: "acme", region: "primary", container: "app01").name == "acme.primary.app01")
        #expect(try Principal(pod: "acme", region: "dr", container: "app01").name == "acme.dr.app01")
    }

    @Test func theLegacyFormNamesPodDashContainer() throws {
        #expect(try Principal(pod: "acme", region: "primary", container: "app01", form: .legacy).name == "acme-app01")
    }

    /// The collision of the legacy form is gone: `-` is in names, `.` never is.
    @Test func podAndContainerNamesWithDashesNoLongerCollide() throws {
        let one = try Principal(pod: "acme", region: "primary", container: "prod-app01")
        let other = try Principal(pod: "acme-prod", region: "primary", container: "app01")
        #expect(one.name != other.name)
        #expect(try Principal(pod: "acme", region: "primary", container: "prod-app01", form: .legacy).name
            == Principal(pod: "acme-prod", region: "primary", container: "app01", form: .legacy).name)
    }

    @Test(arguments: ["", "-app", "app 01", "app,01", "app.01", "ä", String(repeating: "a", count: 64)])
    func refusesUnsafeNames(_ container: String) {
        #expect(throws: AccessError.invalidName(field: "container", value: container)) {
            try Principal(pod: "acme", region: "primary", container: container)
        }
    }

    @Test func refusesABadPodOrRegionName() {
        #expect(throws: AccessError.invalidName(field: "pod", value: "a b")) { try Principal(pod: "a b", region: "primary", container: "x") }
        #expect(throws: AccessError.invalidName(field: "region", value: "pri.mary")) {
            try Principal(pod: "acme", region: "pri.mary", container: "x")
        }
    }

    /// A registry written before 0.2.0 holds `{pod, container}`: read as the legacy form, no region.
    @Test func readsARegistryEntryFromBefore020() throws {
        let old = try JSONDecoder().decode(Principal.self, from: Data(#"{"pod":"acme","container":"app01"}"#.utf8))
        #expect(old.region == nil && old.form == .legacy && old.name == "acme-app01")
        let now = try Principal(pod: "acme", region: "dr", container: "app01")
        #expect(try JSONDecoder().decode(Principal.self, from: JSONEncoder().encode(now)) == now)
    }
}
