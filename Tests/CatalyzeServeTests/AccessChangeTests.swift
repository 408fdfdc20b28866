import CatalyzeServe
import Testing

/// The PUT body: typed, strict, every refusal naming its field.
@Suite struct AccessChangeTests {
    func field(_ body: String) -> String? {
        do {
            _ = try AccessChange(json: Array(body.utf8))
            return "accepted"
        } catch let failure as APIFailure {
            #expect(failure.status == 400)
            return failure.field
        } catch {
            return "other \(error)"
        }
    }

    @Test func validBodies() throws {
        #expect(try AccessChange(json: Array(#"{"enabled":true,"cidrs":["198.51.100.0/24"]}"#.utf8))
            == AccessChange(enabled: true, cidrs: ["198.51.100.0/24"]))
        #expect(try AccessChange(json: Array(#"{"enabled":false}"#.utf8)) == AccessChange(enabled: false, cidrs: []))
    }

    @Test func badBodiesNameTheField() {
        #expect(field(#"{"cidrs":[]}"#) == "enabled")
        #expect(field(#"{"enabled":1}"#) == "enabled")
        #expect(field(#"{"enabled":"yes"}"#) == "enabled")
        #expect(field(#"{"enabled":true,"cidrs":"10.0.0.0/8"}"#) == "cidrs")
        #expect(field(#"{"enabled":true,"cidrs":["10.0.0.0/8","10.0.0.0/99"]}"#) == "cidrs[1]")
        #expect(field(#"{"enabled":true,"cidrs":["10.0.0.0/8",7]}"#) == "cidrs[1]")
        #expect(field(#"{"enabled":true,"cidr":["10.0.0.0/8"]}"#) == "cidr")
        #expect(field("[true]") == nil)
        #expect(field("{") == nil)
        #expect(field("") == nil)
    }
}
