import Foundation

/// Runs blocking work (a synchronous state store waiting out a lease, a silent endpoint's
/// timeout) on a thread of its own and awaits its result.
///
/// Swift Testing runs every test, synchronous ones too, on the cooperative pool, which has one
/// thread per core: two here. A test that blocks one for seconds stalls every other test's async
/// work meanwhile, and under the whole suite that turned into 30-second request timeouts in
/// unrelated tests (a moto CreateRole answered too late, retried, and refused as existing). So
/// tests block only inside `offPool`, and make their expectations after it, in the test's task.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}
