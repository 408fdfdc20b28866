import Dispatch

/// Runs independent pieces of work on every core.
enum Parallel {
    /// `body(0) … body(count - 1)`, side by side; the results in index order.
    ///
    /// `body` must touch only what is its own or read-only: it runs on several threads at once.
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        let slots = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        slots.initialize(repeating: nil)
        defer {
            slots.deinitialize()
            slots.deallocate()
        }
        withoutActuallyEscaping(body) { body in
            let shared = Unchecked((slots, body))
            DispatchQueue.concurrentPerform(iterations: count) { index in
                shared.value.0[index] = shared.value.1(index)
            }
        }
        return slots.map { $0! }
    }
}

/// A value handed to other threads that the caller vouches for (distinct slots, read-only input).
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
