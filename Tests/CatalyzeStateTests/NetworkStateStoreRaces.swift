import CatalyzeState
import Foundation
import Testing

/// Two writers that loaded the same serial save at the same moment: exactly one wins, the other
/// fails with `serialRegression` naming the winner's serial, and the stored state is the winner's.
/// Run for many rounds, each pair released together by a barrier.
enum NetworkStateStoreRaces {
    static func twoWritersFromOneSerial(rounds: Int, makeStore: () throws -> (StateStore, StateStore)) throws {
        for round in 0..<rounds {
            let (first, second) = try makeStore()
            _ = try first.save(StateFixtures.lockfile(resources: 3))
            let loaded = [try #require(try first.load()), try #require(try second.load())]
            #expect(loaded[0].serial == 1 && loaded[1].serial == 1)
            let stores = [first, second]
            let outcomes = Outcomes()
            let start = DispatchSemaphore(value: 0)
            let group = DispatchGroup()
            for index in 0..<2 {
                group.enter()
                Thread {
                    var mine = loaded[index]
                    mine.finish(token: index == 0 ? "tok-pending-1" : "tok-pending-2", result: nil)
                    start.wait()
                    do {
                        let saved = try stores[index].save(mine)
                        outcomes.add(.won(index: index, serial: saved.serial, journal: saved.journal.map(\.token)))
                    } catch let error as StateError {
                        outcomes.add(.lost(index: index, error: error))
                    } catch {
                        outcomes.add(.failed("\(error)"))
                    }
                    group.leave()
                }.start()
            }
            start.signal()
            start.signal()
            group.wait()
            let results = outcomes.all
            let winners = results.compactMap { if case let .won(index, serial, journal) = $0 { (index, serial, journal) } else { nil } }
            let losers = results.compactMap { if case let .lost(_, error) = $0 { error } else { nil } }
            #expect(winners.count == 1, "round \(round): \(results)")
            #expect(losers.count == 1, "round \(round): \(results)")
            guard let winner = winners.first, let loser = losers.first else { continue }
            #expect(winner.1 == 2)
            if case let .serialRegression(_, stored, saving) = loser {
                #expect(stored == 2 && saving == 1, "the loser names the winner's serial: \(loser)")
            } else {
                Issue.record("round \(round): the loser failed with \(loser), not serialRegression")
            }
            let stored = try #require(try first.load())
            #expect(stored.serial == 2)
            #expect(stored.journal.map(\.token) == winner.2, "the stored state is the winner's, nothing merged")
        }
    }

    enum Outcome: Sendable, CustomStringConvertible {
        case won(index: Int, serial: Int, journal: [String])
        case lost(index: Int, error: StateError)
        case failed(String)

        var description: String {
            switch self {
            case let .won(index, serial, _): "writer \(index) won (serial \(serial))"
            case let .lost(index, error): "writer \(index) lost: \(error)"
            case let .failed(text): "failed: \(text)"
            }
        }
    }

    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var items: [Outcome] = []
        func add(_ outcome: Outcome) { lock.lock(); items.append(outcome); lock.unlock() }
        var all: [Outcome] { lock.lock(); defer { lock.unlock() }; return items }
    }
}
