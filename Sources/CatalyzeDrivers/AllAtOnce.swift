/// Runs `call` for every key at once and returns each key's value. When calls fail, the error
/// thrown is that of the first failed key in `keys`' order, whichever failed first in time, so a
/// refresh that meets two failures reports the same one on every run.
public func allAtOnce<Key: Hashable & Sendable, Value: Sendable>(
    _ keys: [Key], _ call: @escaping @Sendable (Key) async throws -> Value
) async throws -> [Key: Value] {
    let results = await withTaskGroup(of: (Key, Result<Value, any Error>).self) { group in
        for key in keys {
            group.addTask {
                do { return (key, .success(try await call(key))) } catch { return (key, .failure(error)) }
            }
        }
        var results: [Key: Result<Value, any Error>] = [:]
        for await (key, result) in group { results[key] = result }
        return results
    }
    var values: [Key: Value] = [:]
    for key in keys { if let result = results[key] { values[key] = try result.get() } }
    return values
}
