import Foundation

/// Wraps a transport and counts the requests sent through it, per key (e.g. per action).
///
/// Used by tests and benchmarks to show that refresh makes a bounded number of calls.
public final class CountingTransport: HTTPTransport {
    private let inner: HTTPTransport
    private let key: @Sendable (HTTPRequest) -> String
    private let counts = Mutex<[String: Int]>([:])

    /// Creates the wrapper; `key` names a request's bucket (default: method and path).
    public init(_ inner: HTTPTransport, key: @escaping @Sendable (HTTPRequest) -> String = { "\($0.method) \($0.url.path)" }) {
        self.inner = inner
        self.key = key
    }

    /// Counts, then sends.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = key(request)
        counts.withLock { $0[name, default: 0] += 1 }
        return try await inner.send(request)
    }

    /// Requests so far, per key.
    public var perKey: [String: Int] { counts.withLock { $0 } }

    /// Requests so far in all.
    public var total: Int { counts.withLock { $0.values.reduce(0, +) } }

    /// Forgets the counts.
    public func reset() { counts.withLock { $0 = [:] } }
}

/// A small lock-protected value (Synchronization.Mutex needs macOS 15; this works everywhere).
public final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    /// Creates the mutex.
    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access.
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
