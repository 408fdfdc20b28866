import CatalyzeCore
import CatalyzeDrivers
import CatalyzeModel
import Foundation

/// ELBv2 and ACM helpers of the load balancer and its targets: names, target groups, listeners,
/// certificates.
extension AWSDriver {
    /// A balancer or target group name (≤ 32 characters, letters, digits, hyphens) unique to the token.
    static func elbName(_ request: ApplyRequest, suffix: String) -> String {
        elbName(pod: request.pod, name: request.spec.address.name, token: request.token, suffix: suffix)
    }

    /// `elbName` from its parts: the pod, the address's name and the create's token.
    static func elbName(pod: String, name: String, token: String, suffix: String) -> String {
        let hash = SigV4Signer.hexSHA256(Data(token.utf8)).prefix(8)
        let base = "\(pod)-\(name)".map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let room = 32 - 3 - hash.count - 1 - suffix.count
        let trimmed = String(String(base).prefix(max(1, room))).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return "cz-\(trimmed)-\(hash)\(suffix)"
    }

    static func balancerResource(_ member: XMLNode) -> CloudResource {
        CloudResource(
            cloudID: member.string("LoadBalancerArn") ?? "",
            outputs: ["dns_name": member.string("DNSName") ?? "", "vpc_id": member.string("VpcId") ?? ""])
    }

    func describeBalancer(name: String, region: String) async throws -> CloudResource? {
        do {
            let reply = try await client.query(.elbv2, "DescribeLoadBalancers", region: region, ["Names.member.1": name])
            return reply.list("DescribeLoadBalancersResult", "LoadBalancers").first.map(Self.balancerResource)
        } catch let error as DriverError where error.isNotFound {
            return nil
        }
    }

    /// `port=arn;port=arn` → dictionary.
    static func targetGroups(_ text: String) -> [Int: String] {
        var result: [Int: String] = [:]
        for item in text.split(separator: ";") {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2, let port = Int(parts[0]) { result[port] = parts[1] }
        }
        return result
    }

    /// The target group for `port` (made with `healthCheck` when missing); returns its ARN.
    func ensureTargetGroup(
        _ request: ApplyRequest, port: Int, proto: String, healthCheck: HealthCheckSpec?, vpc: String, region: String, lookFirst: Bool = true
    ) async throws -> String {
        let name = Self.elbName(request, suffix: "-\(port)")
        func existing() async throws -> String? {
            do {
                let reply = try await client.query(.elbv2, "DescribeTargetGroups", region: region, ["Names.member.1": name])
                return reply.list("DescribeTargetGroupsResult", "TargetGroups").first?.string("TargetGroupArn")
            } catch let error as DriverError where error.isNotFound {
                return nil
            }
        }
        if lookFirst, let arn = try await existing() { return arn }
        var parameters = ["Name": name, "Protocol": proto, "Port": String(port), "VpcId": vpc, "TargetType": "instance"]
        if let healthCheck { parameters.merge(healthCheck.elbParameters) { _, new in new } }
        for (n, (key, value)) in Self.tags(request).enumerated() {
            parameters["Tags.member.\(n + 1).Key"] = key
            parameters["Tags.member.\(n + 1).Value"] = value
        }
        let reply: XMLNode
        do {
            reply = try await client.query(.elbv2, "CreateTargetGroup", region: region, parameters)
        } catch let error as DriverError where error.awsCode == "DuplicateTargetGroupName" {
            // A retried create whose first attempt took effect: the group is there under its name.
            if let arn = try await existing() { return arn }
            throw error
        }
        guard let arn = reply.list("CreateTargetGroupResult", "TargetGroups").first?.string("TargetGroupArn") else {
            throw DriverError.malformedResponse(service: "elbv2", action: "CreateTargetGroup", detail: "no TargetGroupArn")
        }
        return arn
    }

    /// Creates the missing listeners (and, with `removeOthers`, deletes unwanted ones); returns certificate outputs.
    /// `certificate` is the spec's (an ARN or a reference), for the listeners that terminate TLS.
    func ensureListeners(
        _ listeners: [ListenerSpec], certificate: String?, balancer: String, groups: [Int: String], request: ApplyRequest, region: String,
        removeOthers: Bool = false, known: [XMLNode]? = nil
    ) async throws -> [String: String] {
        let existing: [XMLNode]
        if let known {
            existing = known
        } else {
            let reply = try await client.query(.elbv2, "DescribeListeners", region: region, ["LoadBalancerArn": balancer])
            existing = reply.list("DescribeListenersResult", "Listeners")
        }
        var outputs: [String: String] = [:]
        if let arn = existing.flatMap({ $0.list("Certificates") }).compactMap({ $0.string("CertificateArn") }).first {
            outputs["certificate_arn"] = arn
            // A listener an earlier (killed) run made: the certificate is catalyze's own import when
            // the spec names a reference, not an ARN, so that a delete removes it from ACM.
            if let certificate {
                outputs["imported_certificate"] = certificate.hasPrefix("arn:") ? "false" : "true"
            }
        }
        // A listener whose protocol changes (`tls` to `tls-passthrough`, say) is replaced: ELBv2 cannot
        // turn a TLS listener into a TCP one in place everywhere. Connections on that port drop meanwhile.
        var existingPorts = Set<Int>()
        for node in existing {
            guard let port = node.string("Port").flatMap(Int.init) else { continue }
            if let wanted = listeners.first(where: { $0.port == port }), let proto = node.string("Protocol"),
               proto.uppercased() != wanted.elbProtocol, let arn = node.string("ListenerArn")
            {
                try await deleteIgnoringMissing {
                    _ = try await client.query(.elbv2, "DeleteListener", region: region, ["ListenerArn": arn])
                }
            } else {
                existingPorts.insert(port)
            }
        }
        for listener in listeners.sorted() where !existingPorts.contains(listener.port) {
            var parameters = [
                "LoadBalancerArn": balancer, "Protocol": listener.elbProtocol, "Port": String(listener.port),
                "DefaultActions.member.1.Type": "forward",
                "DefaultActions.member.1.TargetGroupArn": groups[listener.targetPort] ?? "",
            ]
            if listener.needsCertificate {
                if outputs["certificate_arn"] == nil {
                    outputs.merge(try await certificateARN(certificate, request: request)) { _, new in new }
                }
                parameters["Certificates.member.1.CertificateArn"] = outputs["certificate_arn"]
            }
            do {
                _ = try await client.query(.elbv2, "CreateListener", region: region, parameters)
            } catch let error as DriverError where error.awsCode == "DuplicateListener" {}
        }
        if removeOthers {
            let wanted = Set(listeners.map(\.port))
            for listener in existing where !wanted.contains(Int(listener.string("Port") ?? "") ?? -1) {
                if let arn = listener.string("ListenerArn") {
                    try await deleteIgnoringMissing {
                        _ = try await client.query(.elbv2, "DeleteListener", region: region, ["ListenerArn": arn])
                    }
                }
            }
        }
        return outputs
    }

    /// Keeps the balancer's `catalyze:tls-passthrough` tag in step with its listeners (one call, only
    /// when the set of passthrough ports changes).
    func tagPassthrough(balancer: String, from old: [ListenerSpec], to new: [ListenerSpec], region: String) async throws {
        let before = ListenerSpec.passthroughPorts(old)
        let after = ListenerSpec.passthroughPorts(new)
        guard before != after else { return }
        if let after {
            _ = try await client.query(.elbv2, "AddTags", region: region, [
                "ResourceArns.member.1": balancer, "Tags.member.1.Key": ListenerSpec.passthroughTag, "Tags.member.1.Value": after,
            ])
        } else {
            _ = try await client.query(.elbv2, "RemoveTags", region: region, [
                "ResourceArns.member.1": balancer, "TagKeys.member.1": ListenerSpec.passthroughTag,
            ])
        }
    }

    /// The certificate ARN: `certificate` itself, or imported from the PEM bundle it names (a secret reference).
    func certificateARN(_ certificate: String?, request: ApplyRequest) async throws -> [String: String] {
        guard let text = certificate else {
            throw DriverError.invalidSpec(address: request.spec.address, reason: "attribute 'certificate' is required")
        }
        if text.hasPrefix("arn:") { return ["certificate_arn": text, "imported_certificate": "false"] }
        guard let reference = SecretReference(parsing: text) else {
            throw DriverError.invalidSpec(address: request.spec.address, reason: "certificate must be an ARN or an env:/file: reference")
        }
        let bundle = try PEMBundle(try request.secrets.secret(for: reference), address: request.spec.address)
        // A resumed create (killed between ImportCertificate and CreateListener) finds the
        // certificate its first run imported by the `catalyze:op` tag instead of importing a second.
        if request.operation == .create, !request.firstUse,
           let arn = try await findImportedCertificate(pod: request.pod, token: request.token, region: request.spec.cloudRegion)
        {
            return ["certificate_arn": arn, "imported_certificate": "true"]
        }
        var payload: [String: Any] = [
            "Certificate": Data(bundle.certificate.utf8).base64EncodedString(),
            "PrivateKey": Data(bundle.privateKey.reveal().utf8).base64EncodedString(),
            "Tags": Self.tags(request).map { ["Key": $0.0, "Value": $0.1] },
        ]
        if !bundle.chain.isEmpty { payload["CertificateChain"] = Data(bundle.chain.utf8).base64EncodedString() }
        let reply = try await client.json(.acm, "ImportCertificate", region: request.spec.cloudRegion, payload)
        guard let arn = reply["CertificateArn"] as? String else {
            throw DriverError.malformedResponse(service: "acm", action: "ImportCertificate", detail: "no CertificateArn")
        }
        return ["certificate_arn": arn, "imported_certificate": "true"]
    }

    /// The ACM certificate of `pod` imported under `token` (tags `catalyze:pod`, `catalyze:op`), if
    /// any: ListCertificates, then ListTagsForCertificate per certificate of the region. Only on the
    /// paths that follow a kill (a resumed create, the delete of a balancer without a certificate).
    func findImportedCertificate(pod: String, token: String, region: String) async throws -> String? {
        var next: String?
        for _ in 0..<100 {
            var payload: [String: Any] = [:]
            if let next { payload["NextToken"] = next }
            let reply = try await client.json(.acm, "ListCertificates", region: region, payload)
            for summary in reply["CertificateSummaryList"] as? [[String: Any]] ?? [] {
                guard let arn = summary["CertificateArn"] as? String else { continue }
                let tags: [String: Any]
                do {
                    tags = try await client.json(.acm, "ListTagsForCertificate", region: region, ["CertificateArn": arn])
                } catch let error as DriverError where error.isNotFound { continue }
                var found: [String: String] = [:]
                for tag in tags["Tags"] as? [[String: Any]] ?? [] {
                    if let key = tag["Key"] as? String { found[key] = tag["Value"] as? String ?? "" }
                }
                if found[CatalyzeTag.pod] == pod, found[CatalyzeTag.operation] == token { return arn }
            }
            next = (reply["NextToken"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            if next == nil { break }
        }
        return nil
    }

    /// Retries `body` while the resource is still in use (a balancer being deleted).
    func retryingInUse(_ body: () async throws -> Void) async throws {
        for attempt in 1...client.configuration.consistencyAttempts {
            do {
                try await body()
                return
            } catch let error as DriverError where error.awsCode == "ResourceInUse" || error.awsCode == "ResourceInUseException" {
                if attempt == client.configuration.consistencyAttempts { throw error }
                try await client.pause(attempt: attempt, throttled: false)
            }
        }
    }
}
