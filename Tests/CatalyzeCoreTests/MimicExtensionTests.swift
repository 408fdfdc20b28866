import CatalyzeTestSupport
import Foundation
import Testing

/// catalyze's mimic extension (Tests/Peers/mimic_plugins): Cinder, Neutron, Nova volume attachments.
@Suite("mimic extension: block storage, networking, volume attachments")
struct MimicExtensionTests {
    @Test("the catalog lists block storage (volume, volumev2, volumev3) and networking per region")
    func catalog() async throws {
        let session = try await MimicSession.authenticate()
        for region in ["DFW", "ORD", "IAD"] {
            let volumes = try session.endpoint(name: "cloudBlockStorage", type: "volume", region: region)
            #expect(volumes.path.hasSuffix("/\(region)/v2/\(session.tenantID)"))
            #expect(try session.endpoint(name: "cinderv2", type: "volumev2", region: region) == volumes)
            #expect(try session.endpoint(name: "cinderv3", type: "volumev3", region: region).path.hasSuffix("/v3/\(session.tenantID)"))
            #expect(try session.endpoint(name: "cloudNetworks", type: "network", region: region).path.hasSuffix("/\(region)/v2.0"))
        }
        #expect(session.endpoints.contains { $0.name == "cloudServersOpenStack" }, "mimic's own services stay")
    }

    @Test("volume round trip: LUKS type is encrypted; create → get → delete → 404")
    func volumeRoundTrip() async throws {
        let session = try await MimicSession.authenticate()
        let cinder = try session.endpoint(name: "cloudBlockStorage", region: "ORD")
        let types = try await session.send("GET", cinder.appendingPathComponent("types")).json()
        let luks = try #require((types["volume_types"] as? [[String: Any]])?.first { $0["name"] as? String == "LUKS" })
        let luksID = try #require(luks["id"] as? String)
        let encryption = try await session.send("GET", cinder.appendingPathComponent("types/\(luksID)/encryption")).json()
        #expect(encryption["provider"] as? String == "luks")
        #expect(encryption["volume_type_id"] as? String == luksID)

        let created = try await session.send(
            "POST", cinder.appendingPathComponent("volumes"),
            json: ["volume": ["size": 100, "name": "db01-data", "volume_type": "LUKS", "metadata": ["catalyze:pod": "p1"]]])
        #expect(created.status == 202)
        let volume = try #require(try created.json()["volume"] as? [String: Any])
        #expect(volume["status"] as? String == "creating")
        let id = try #require(volume["id"] as? String)

        let shown = try await session.send("GET", cinder.appendingPathComponent("volumes/\(id)"))
        let detail = try #require(try shown.json()["volume"] as? [String: Any])
        #expect(shown.status == 200)
        #expect(detail["status"] as? String == "available")
        #expect(detail["encrypted"] as? Bool == true)
        #expect(detail["volume_type"] as? String == "LUKS")
        #expect((detail["metadata"] as? [String: String]) == ["catalyze:pod": "p1"])

        #expect(try await session.send("DELETE", cinder.appendingPathComponent("volumes/\(id)")).status == 202)
        let gone = try await session.send("GET", cinder.appendingPathComponent("volumes/\(id)"))
        #expect(gone.status == 404)
        #expect(try gone.json()["itemNotFound"] != nil)
    }

    @Test("security group + rule: listed with Neutron's two default egress rules; a duplicate is 409")
    func securityGroups() async throws {
        let session = try await MimicSession.authenticate()
        let neutron = try session.endpoint(name: "cloudNetworks", region: "DFW")
        let group = try await session.send(
            "POST", neutron.appendingPathComponent("security-groups"),
            json: ["security_group": ["name": "pod-web", "description": "catalyze test"]])
        #expect(group.status == 201)
        let groupID = try #require((try group.json()["security_group"] as? [String: Any])?["id"] as? String)
        let rule: [String: Any] = ["security_group_rule": [
            "security_group_id": groupID, "direction": "ingress", "protocol": "tcp",
            "port_range_min": 443, "port_range_max": 443, "remote_ip_prefix": "10.0.0.0/8"]]
        #expect(try await session.send("POST", neutron.appendingPathComponent("security-group-rules"), json: rule).status == 201)
        #expect(try await session.send("POST", neutron.appendingPathComponent("security-group-rules"), json: rule).status == 409)

        var query = URLComponents(url: neutron.appendingPathComponent("security-group-rules"), resolvingAgainstBaseURL: false)!
        query.queryItems = [URLQueryItem(name: "security_group_id", value: groupID)]
        let listed = try await session.send("GET", query.url!)
        let rules = try #require(try listed.json()["security_group_rules"] as? [[String: Any]])
        #expect(rules.count == 3)
        #expect(rules.filter { $0["direction"] as? String == "egress" }.count == 2)
        let ingress = try #require(rules.first { $0["direction"] as? String == "ingress" })
        #expect(ingress["port_range_min"] as? Int == 443)
        #expect(ingress["remote_ip_prefix"] as? String == "10.0.0.0/8")

        let other = try await MimicSession.authenticate()
        let foreign = try await other.send("GET", neutron.appendingPathComponent("security-groups/\(groupID)"))
        #expect(foreign.status == 404, "another tenant's token does not see the group")
    }

    @Test("Nova volume attachment: in-use volume cannot be deleted until detached")
    func volumeAttachment() async throws {
        let session = try await MimicSession.authenticate()
        let cinder = try session.endpoint(name: "cloudBlockStorage", region: "ORD")
        let nova = try session.endpoint(name: "cloudServersOpenStack", region: "ORD")
        let server = try await session.send(
            "POST", nova.appendingPathComponent("servers"),
            json: ["server": ["name": "app01", "imageRef": "image", "flavorRef": "2"]])
        let serverID = try #require((try server.json()["server"] as? [String: Any])?["id"] as? String)
        let volume = try await session.send("POST", cinder.appendingPathComponent("volumes"), json: ["volume": ["size": 10]])
        let volumeID = try #require((try volume.json()["volume"] as? [String: Any])?["id"] as? String)

        let attachments = nova.appendingPathComponent("servers/\(serverID)/os-volume_attachments")
        let attached = try await session.send("POST", attachments, json: ["volumeAttachment": ["volumeId": volumeID]])
        #expect(attached.status == 200)
        #expect((try attached.json()["volumeAttachment"] as? [String: Any])?["device"] as? String == "/dev/xvdb")
        let inUse = try #require(try await session.send("GET", cinder.appendingPathComponent("volumes/\(volumeID)")).json()["volume"] as? [String: Any])
        #expect(inUse["status"] as? String == "in-use")
        #expect((inUse["attachments"] as? [[String: Any]])?.first?["server_id"] as? String == serverID)
        #expect(try await session.send("DELETE", cinder.appendingPathComponent("volumes/\(volumeID)")).status == 400)

        #expect(try await session.send("DELETE", attachments.appendingPathComponent(volumeID)).status == 202)
        #expect(try await session.send("DELETE", cinder.appendingPathComponent("volumes/\(volumeID)")).status == 202)
    }

    /// mimic has no `os-getConsoleOutput`: catalyze_console_output.py adds it to the Compute API
    /// reference and nova's controller (output filtered as nova does, `length` tails, 404, 409 while
    /// not ready, 400 for a bad `length`), with a test control for what the console shows.
    @Test("Nova os-getConsoleOutput: empty until the console shows text; length tails; 404, 409, 400")
    func consoleOutput() async throws {
        let session = try await MimicSession.authenticate()
        let nova = try session.endpoint(name: "cloudServersOpenStack", region: "ORD")
        let control = try session.endpoint(name: "catalyzeConsoleControl", region: "ORD")
        let server = try await session.send(
            "POST", nova.appendingPathComponent("servers"), json: ["server": ["name": "app01", "imageRef": "image", "flavorRef": "2"]])
        let serverID = try #require((try server.json()["server"] as? [String: Any])?["id"] as? String)
        let action = nova.appendingPathComponent("servers/\(serverID)/action")
        func console(_ body: [String: Any]) async throws -> (status: Int, output: String?) {
            let reply = try await session.send("POST", action, json: ["os-getConsoleOutput": body])
            return (reply.status, (try? reply.json())?["output"] as? String)
        }

        #expect(try await console([:]) == (200, ""), "a server that printed nothing yet")
        let set = try await session.send(
            "PUT", control.appendingPathComponent("servers/\(serverID)/console-output"), json: ["output": "one\r\ntwo\r\nthree\u{07}\n"])
        #expect(set.status == 204)
        #expect(try await console([:]) == (200, "one\ntwo\nthree\n"), "control characters, \\r included, filtered as nova does")
        #expect(try await console(["length": -1]) == (200, "one\ntwo\nthree\n"))
        #expect(try await console(["length": 2]) == (200, "three\n"), "the last 2 lines of the log split on \\n")
        #expect(try await console(["length": "1"]).status == 200)
        #expect(try await console(["length": -2]).status == 400)
        #expect(try await console(["length": 1, "other": 1]).status == 400)
        let unknown = try await session.send("POST", nova.appendingPathComponent("servers/no-such-server/action"), json: ["os-getConsoleOutput": [:]])
        #expect(unknown.status == 404)

        let behavior = try session.endpoint(name: "cloudServersBehavior", region: "ORD")
        let building = try await session.send("POST", behavior.appendingPathComponent("attributes/"), json: ["status": [serverID: "BUILD"]])
        #expect(building.status == 201)
        #expect(try await console([:]).status == 409, "not ready: Nova may not have put it on a host yet")
    }

    /// Cloud Load Balancers API v1.0: a balancer is immutable until ACTIVE again after each change
    /// (PUT/POST/DELETE answer 422 "considered immutable"). mimic alone lets a health monitor change
    /// and a delete through; with our hold control every mutating call is refused while held.
    @Test("CLB hold: PENDING_UPDATE refuses every change with 422 until it ends; afterEachChange holds again")
    func loadBalancerHold() async throws {
        let session = try await MimicSession.authenticate()
        let clb = try session.endpoint(name: "cloudLoadBalancers", region: "ORD")
        let control = try session.endpoint(name: "cloudLoadBalancerControl", region: "ORD")
        let created = try await session.send("POST", clb.appendingPathComponent("loadbalancers"), json: [
            "loadBalancer": ["name": "hold", "protocol": "HTTP", "port": 80, "virtualIps": [["type": "PUBLIC"]], "nodes": []],
        ])
        let id = try #require((try created.json()["loadBalancer"] as? [String: Any])?["id"] as? Int)
        let lb = clb.appendingPathComponent("loadbalancers/\(id)")
        let hold = control.appendingPathComponent("loadbalancers/\(id)/catalyze-hold")
        // Until released, so that no slowness of a busy machine can end it before the checks.
        #expect(try await session.send("PUT", hold, json: ["seconds": NSNull()]).status == 204)
        #expect((try await session.send("GET", lb).json()["loadBalancer"] as? [String: Any])?["status"] as? String == "PENDING_UPDATE")
        let changes: [(String, URL, Any?)] = [
            ("PUT", lb.appendingPathComponent("healthmonitor"), ["healthMonitor": ["type": "CONNECT", "delay": 10, "timeout": 5, "attemptsBeforeDeactivation": 2]]),
            ("POST", lb.appendingPathComponent("nodes"), ["nodes": [["address": "10.0.0.9", "port": 80, "condition": "ENABLED"]]]),
            ("POST", lb.appendingPathComponent("metadata"), ["metadata": [["key": "k", "value": "v"]]]),
            ("PUT", lb, ["loadBalancer": ["port": 8080]]),
            ("DELETE", lb, nil),
        ]
        for (method, url, body) in changes {
            let reply = try await session.send(method, url, json: body)
            #expect(reply.status == 422 && reply.text.contains("considered immutable"), "\(method) \(url.path): \(reply.status)")
        }
        #expect(try await session.send("PUT", hold, json: ["seconds": 0.2]).status == 204, "now held 0.2 s more")
        try await Task.sleep(for: .milliseconds(300))
        #expect((try await session.send("GET", lb).json()["loadBalancer"] as? [String: Any])?["status"] as? String == "ACTIVE")
        // Held after each accepted change, as the real service is.
        #expect(try await session.send("PUT", hold, json: ["afterEachChange": 60]).status == 204)
        #expect(try await session.send("POST", lb.appendingPathComponent("metadata"), json: ["metadata": [["key": "a", "value": "1"]]]).status == 200)
        #expect(try await session.send("POST", lb.appendingPathComponent("metadata"), json: ["metadata": [["key": "b", "value": "2"]]]).status == 422)
        #expect(try await session.send("DELETE", hold).status == 204)
        #expect(try await session.send("POST", lb.appendingPathComponent("metadata"), json: ["metadata": [["key": "b", "value": "2"]]]).status == 200)
        #expect(try await session.send("PUT", hold, json: ["seconds": -1]).status == 400)
        #expect(try await session.send("PUT", control.appendingPathComponent("loadbalancers/1/catalyze-hold"), json: ["seconds": 1]).status == 404)
    }
}
