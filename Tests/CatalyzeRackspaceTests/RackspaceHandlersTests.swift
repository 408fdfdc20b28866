import CatalyzeDrivers
import CatalyzeModel
import Testing
@testable import CatalyzeRackspace

/// The one table of Rackspace handlers: every kind Rackspace offers (`ResourceKind.isOffered(by:)`)
/// has exactly one, and refresh reads in rank order.
@Suite struct RackspaceHandlersTests {
    @Test func everyKindHasOneHandlerUnderItsOwnKind() {
        #expect(Set(RackspaceHandlers.table.keys) == Set(ResourceKind.allCases.filter { $0.isOffered(by: .rax) }))
        for (kind, handler) in RackspaceHandlers.table { #expect(handler.kind == kind) }
        #expect(registeredRackspaceResourceHandler.count == RackspaceHandlers.table.count, "two handlers of one kind")
    }

    @Test func refreshReadsInKindRankOrder() {
        #expect(RackspaceHandlers.ranked.map(\.kind) == ResourceKind.allCases.filter { $0.isOffered(by: .rax) }.sorted())
    }

    @Test func aBatchWithNothingForThePodReadsNothing() {
        var found: [LiveResource] = []
        for handler in RackspaceHandlers.ranked { handler.read(RackspaceBatch(pod: "p"), into: &found) }
        #expect(found.isEmpty)
    }
}
