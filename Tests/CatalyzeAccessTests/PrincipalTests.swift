import Testing
@testable import CatalyzeAccess

@Suite struct PrincipalTests {
    @Test func namesPodDashContainer() throws {
        #expect(try Principal(pod: "acme", container: "app01").name == "acme-app01")
    }

    @Test(arguments: ["", "-app", "app 01", "app,01", "ä", String(repeating: "a", count: 64)])
    func refusesUnsafeNames(_ container: String) {
        #expect(throws: AccessError.invalidName(field: "container", value: container)) {
            try Principal(pod: "acme", container: container)
        }
    }

    @Test func refusesABadPodName() {
        #expect(throws: AccessError.invalidName(field: "pod", value: "a b")) { try Principal(pod: "a b", container: "x") }
    }
}
