import CatalyzeCore
import CatalyzeDrivers
import Foundation

/// Signs, rate-limits, sends and retries AWS API calls (Query and JSON 1.1 protocols).
///
/// Retries follow AWS "standard" mode: throttling codes, HTTP 500/502/503/504 and transport failures
/// are retried with jittered exponential backoff under a shared retry quota. A call marked not
/// idempotent (a create that the emulator would repeat) is never retried after an answer it cannot
/// interpret: it fails with `DriverError.ambiguous` and the driver looks the resource up by its
/// `catalyze:op` tag before trying again.
public struct AWSClient: Sendable {
    let configuration: AWSConfiguration
    let transport: HTTPTransport
    let jitter: JitterSource
    let clock: WallClock
    let buckets: TokenBuckets
    let quota: RetryQuota
    let session: AWSSessionCredentials

    /// Creates a client.
    public init(
        configuration: AWSConfiguration, transport: HTTPTransport, jitter: JitterSource, clock: WallClock = SystemClock()
    ) {
        self.configuration = configuration
        self.transport = transport
        self.jitter = jitter
        self.clock = clock
        let limit = configuration.rateLimit
        let burst = max(1, (limit.burst * AWSConfiguration.burstShare).rounded(.down))
        self.buckets = TokenBuckets { _ in (limit.rate, burst) }
        self.quota = RetryQuota()
        let sts = STSClient(
            endpoint: configuration.endpoint, extraHeaders: configuration.extraHeaders, transport: transport, clock: clock,
            readFile: { try? String(contentsOfFile: $0, encoding: .utf8) })
        self.session = AWSSessionCredentials(source: configuration.credentialSource, sts: sts, clock: clock)
    }

    /// Calls a Query-protocol action and returns the parsed XML reply.
    public func query(
        _ service: AWSService, _ action: String, region: String, _ parameters: [String: String] = [:],
        idempotent: Bool = true
    ) async throws -> XMLNode {
        var form = parameters
        form["Action"] = action
        form["Version"] = service.version
        let body = form.keys.sorted().map { "\(SigV4Signer.uriEncode($0))=\(SigV4Signer.uriEncode(form[$0]!))" }
            .joined(separator: "&")
        let headers = ["content-type": "application/x-www-form-urlencoded; charset=utf-8"]
        let response = try await send(
            service, action, region: region, headers: headers, body: Data(body.utf8), idempotent: idempotent)
        guard let node = XMLNode.parse(response.body) else {
            throw DriverError.malformedResponse(service: service.rawValue, action: action, detail: "not XML")
        }
        return node
    }

    /// Calls a Query action repeatedly, following `NextToken`/`NextMarker`, and returns every page.
    public func queryAll(
        _ service: AWSService, _ action: String, region: String, _ parameters: [String: String] = [:]
    ) async throws -> [XMLNode] {
        var pages: [XMLNode] = []
        var parameters = parameters
        for _ in 0..<1000 {
            let page = try await query(service, action, region: region, parameters)
            pages.append(page)
            if let next = page.descendants("nextToken").first?.text ?? page.descendants("NextToken").first?.text,
               !next.isEmpty
            {
                parameters["NextToken"] = next
            } else if let marker = page.descendants("NextMarker").first?.text, !marker.isEmpty {
                parameters["Marker"] = marker
            } else {
                break
            }
        }
        return pages
    }

    /// Calls a JSON 1.1 action (KMS, ACM) and returns the decoded object.
    public func json(
        _ service: AWSService, _ action: String, region: String, _ payload: [String: Any] = [:], idempotent: Bool = true
    ) async throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let headers = [
            "content-type": "application/x-amz-json-1.1", "x-amz-target": "\(service.targetPrefix).\(action)",
        ]
        let response = try await send(service, action, region: region, headers: headers, body: body, idempotent: idempotent)
        // Actions without output answer an empty body (or, in moto, `null`/text): no fields.
        return (try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])) as? [String: Any] ?? [:]
    }

    /// Sends one signed request with rate limiting and standard-mode retries.
    /// `method`, `path` and `query` serve the REST protocols (see `AWSClient+REST.swift`); the Query
    /// and JSON 1.1 protocols POST to `/`.
    func send(
        _ service: AWSService, _ action: String, region: String, headers: [String: String], body: Data,
        idempotent: Bool, method: String = "POST", path: String = "", query: String = ""
    ) async throws -> HTTPResponse {
        let signingRegion = service == .iam ? "us-east-1" : region
        var url = configuration.endpoint ?? (service == .iam
            ? URL(string: "https://iam.amazonaws.com/")! : configuration.url(service: service, region: region))
        if !path.isEmpty { url = Self.resolve(url, path: path, query: query) }
        let bucket = await buckets.bucket("\(signingRegion)/\(service.rawValue)/\(action)")
        let signer = SigV4Signer(credentials: try await session.credentials())
        let policy = configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            try await bucket.acquire()
            var request = HTTPRequest(method: method, url: url, headers: headers, body: body, idempotent: idempotent)
            request = signer.sign(request, region: signingRegion, service: service.signingName, date: clock.now())
            request.headers["host"] = nil
            for (name, value) in configuration.extraHeaders { request.headers[name] = value }
            let response: HTTPResponse
            do {
                response = try await transport.send(request)
            } catch let error as DriverError {
                let detail: String, timedOut: Bool
                switch error {
                case .transport(_, let text): (detail, timedOut) = (text, false)
                case .timedOut: (detail, timedOut) = (error.description, true)
                default: throw error
                }
                if !idempotent {
                    throw DriverError.ambiguous(service: service.rawValue, action: action, detail: detail)
                }
                // A peer that let a request time out once is retried once, not four times: the
                // wait stays bounded by two timeouts (`NetworkTimeouts`).
                guard attempt < (timedOut ? 2 : policy.maxAttempts), await quota.takeRetry(timeout: true) else { throw error }
                try await pause(attempt: attempt, throttled: false)
                continue
            }
            if (200..<300).contains(response.status) {
                await quota.recordSuccess()
                return response
            }
            let failure = Self.error(service: service, action: action, response: response)
            if Self.throttlingCodes.contains(failure.code) || response.status == 429 {
                await bucket.drain()
                guard attempt < policy.maxAttempts, await quota.takeRetry(timeout: false) else {
                    throw DriverError.throttled(service: service.rawValue, action: action, attempts: attempt)
                }
                try await pause(attempt: attempt, throttled: true)
                continue
            }
            if [500, 502, 503, 504].contains(response.status) || Self.transientCodes.contains(failure.code) {
                if !idempotent {
                    throw DriverError.ambiguous(
                        service: service.rawValue, action: action, detail: "\(failure.code) (HTTP \(response.status))")
                }
                guard attempt < policy.maxAttempts, await quota.takeRetry(timeout: false) else {
                    throw failure.error
                }
                try await pause(attempt: attempt, throttled: false)
                continue
            }
            throw failure.error
        }
    }

    func pause(attempt: Int, throttled: Bool) async throws {
        try await Task.sleep(for: configuration.retry.delay(attempt: attempt, throttled: throttled, jitter: jitter.draw()))
    }

    /// The AWS error codes that mean "too fast" (standard mode's list).
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled", "SlowDown",
        "PriorRequestNotComplete", "EC2ThrottledException",
    ]

    /// Error codes retried like 5xx.
    static let transientCodes: Set<String> = ["RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable"]

    /// Reads the AWS error code and message from an XML or JSON error body.
    static func error(service: AWSService, action: String, response: HTTPResponse) -> (code: String, error: DriverError) {
        var code = "HTTP\(response.status)"
        var message = ""
        if let node = XMLNode.parse(response.body) {
            code = node.descendants("Code").first?.text ?? code
            message = node.descendants("Message").first?.text ?? ""
        } else if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] {
            if let type = (object["__type"] as? String) ?? (object["Code"] as? String) ?? response.headers["x-amzn-errortype"] {
                code = String(type.split(separator: "#").last?.split(separator: ":").first ?? "")
            }
            message = (object["message"] as? String) ?? (object["Message"] as? String) ?? ""
        } else if let amzn = response.headers["x-amzn-errortype"] {
            code = String(amzn.split(separator: ":").first ?? "")
        }
        if message.count > 300 { message = String(message.prefix(300)) + "…" }
        let error = DriverError.api(
            service: service.rawValue, action: action, status: response.status, code: code, message: message)
        return (code, error)
    }
}

extension DriverError {
    /// The AWS error code when this is an API error.
    var awsCode: String? {
        if case .api(_, _, _, let code, _) = self { return code }
        return nil
    }

    /// True for the "no such thing" family of codes (`InvalidInstanceID.NotFound`, `NotFoundException`, …).
    var isNotFound: Bool {
        guard let code = awsCode else { return false }
        return code.hasSuffix("NotFound") || code.hasSuffix("NotFoundException") || code == "NotFound"
    }
}
