import Testing
@testable import CatalyzeManifest

@Suite struct ManifestModuleTests {
    @Test func moduleLoads() { #expect("\(CatalyzeManifestModule.self)".hasSuffix("Module")) }
}
