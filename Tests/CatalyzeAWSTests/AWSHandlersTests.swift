@testable import CatalyzeAWS
import CatalyzeDrivers
import CatalyzeModel
import Testing

/// The one table of AWS handlers: every kind AWS offers (`ResourceKind.isOffered(by:)`) has exactly
/// one, filed under its own kind, and a kind AWS does not make is refused naming the address.
@Suite struct AWSHandlersTests {
    @Test func everyOfferedKindHasOneHandlerUnderItsOwnKind() {
        #expect(Set(AWSDriver.handlers.keys) == Set(ResourceKind.allCases.filter { $0.isOffered(by: .aws) }))
        for (kind, handler) in AWSDriver.handlers { #expect(handler.kind == kind) }
        #expect(registeredAWSResourceHandler.count == AWSDriver.handlers.count, "two handlers of one kind")
    }

    @Test func aKindWithoutHandlerIsRefusedNamingTheAddress() throws {
        // A kind no cloud offers (made here only: it is in no list).
        let unknown = ResourceKind(KindDefinition(name: "sample", rank: 1_000, spec: FlowLogSpec.self, replaceOnChange: [], providers: []))
        let address = ResourceAddress(region: "primary", kind: unknown, name: "main")
        #expect(throws: DriverError.invalidSpec(address: address, reason: "AWS does not make a sample")) {
            _ = try AWSDriver.handler(for: unknown, address: address)
        }
    }
}
