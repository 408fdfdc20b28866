import CatalyzeCore
import CatalyzeDrivers
import CatalyzeManifest
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Foundation
import Testing

/// `PrincipalTarget.resolve`: which region a grant opens and the form its host accepts.
@Suite struct PrincipalTargetTests {
    static func app01(_ region: String) -> ResourceAddress { ResourceAddress(region: region, kind: .instance, name: "app01") }

    @Test func aContainerInSeveralRegionsNeedsTheRegion() throws {
        let manifest = try PlannerTests.manifest()  // primary and dr
        #expect(throws: PrincipalTarget.Problem.regionNeeded(container: "app01", regions: ["primary", "dr"])) {
            try PrincipalTarget.resolve(manifest: manifest, container: "app01", region: nil, lockfile: nil)
        }
        #expect(throws: PrincipalTarget.Problem.notInRegion(container: "app01", region: "west", regions: ["primary", "dr"])) {
            try PrincipalTarget.resolve(manifest: manifest, container: "app01", region: "west", lockfile: nil)
        }
        #expect(throws: PrincipalTarget.Problem.self) {
            try PrincipalTarget.resolve(manifest: manifest, container: "app09", region: "dr", lockfile: nil)
        }
        let target = try PrincipalTarget.resolve(manifest: manifest, container: "app01", region: "dr", lockfile: nil)
        #expect(target.name == "acme-prod.dr.app01" && target.form == .scoped)
    }

    @Test func theOnlyRegionIsTheDefault() throws {
        var manifest = try PlannerTests.manifest()
        manifest.regions.removeAll { $0.name == "dr" }
        let target = try PrincipalTarget.resolve(manifest: manifest, container: "app01", region: nil, lockfile: nil)
        #expect(target.region == "primary" && target.name == "acme-prod.primary.app01")
    }

    @Test func aHostMadeBefore020IsGrantedTheLegacyNameOnlyWhenNoOtherHostAcceptsIt() throws {
        let manifest = try PlannerTests.manifest()
        let pod = manifest.pod.name
        let desired = PlannerTests.desired(manifest)
        var lockfile = PlannerTests.lockfile(recording: PrincipalTransitionTests.legacy(desired, pod: pod), pod: pod)
        // dr/app01 still accepts acme-prod-app01 too: that certificate would open it as well.
        #expect(throws: PrincipalTarget.Problem.legacyShared(
            address: Self.app01("primary"), principal: "acme-prod-app01", others: [Self.app01("dr")])) {
            try PrincipalTarget.resolve(manifest: manifest, container: "app01", region: "primary", lockfile: lockfile)
        }
        // Once dr/app01 is replaced (scoped), primary/app01's legacy name opens only primary/app01.
        lockfile.resources[Self.app01("dr")]?.attributes["principals"] = "acme-prod.dr.app01"
        let legacy = try PrincipalTarget.resolve(manifest: manifest, container: "app01", region: "primary", lockfile: lockfile)
        #expect(legacy.form == .legacy && legacy.name == "acme-prod-app01")
        let scoped = try PrincipalTarget.resolve(manifest: manifest, container: "app01", region: "dr", lockfile: lockfile)
        #expect(scoped.form == .scoped && scoped.name == "acme-prod.dr.app01")
        // A recorded value in neither form is refused, not guessed.
        lockfile.resources[Self.app01("dr")]?.attributes["principals"] = "someone-else"
        #expect(throws: PrincipalTarget.Problem.unrecognized(address: Self.app01("dr"), recorded: "someone-else")) {
            try PrincipalTarget.resolve(manifest: manifest, container: "app01", region: "dr", lockfile: lockfile)
        }
    }
}
