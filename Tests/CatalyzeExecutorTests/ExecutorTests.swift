import CatalyzeCore
import CatalyzeDrivers
import CatalyzeExecutor
import CatalyzeModel
import CatalyzePlanner
import CatalyzeState
import Testing

/// The executor against a scripted driver and an in-memory store: no peers, no sleeps beyond a few ms.
@Suite struct ExecutorTests {
    typealias F = ApplyFixture

    // MARK: Bounded and adaptive parallelism

    @Test func neverHasMoreInFlightThanTheLimitAndReachesIt() async throws {
        let store = MemoryStateStore()
        let keys = F.keys(12)
        let driver = ScriptedDriver(delay: .milliseconds(2), holdUntilInFlight: 3, total: keys.count)
        let (report, lockfile) = await F.executor(driver, store: store, parallelism: 3).apply(F.plan(keys), lockfile: try F.start(store))
        #expect(report.complete)
        #expect(report.succeeded == 12)
        #expect(driver.calls.count == 12)
        #expect(driver.peak == 3)
        #expect(lockfile.resources.count == 12)
        #expect(lockfile.journal.isEmpty)
        #expect(try store.load() == lockfile)
    }

    @Test func aThrottledActionRunsAgainWithoutAFailureAndTheLimitHalves() async throws {
        let store = MemoryStateStore()
        let keys = F.keys(40)
        let throttled = F.address(.key, "k01")
        // The first eight start together; all but the throttled one wait for its throttle.
        let log = EventLog()
        let firstBatch = Set(keys.prefix(8).map(\.address))
        let driver = ScriptedDriver(script: [throttled: [.throttle]], delay: .milliseconds(2), log: log, holdUntil: { request in
            request.spec.address == throttled || !log.throttles.isEmpty
        })
        let (report, lockfile) = await F.executor(driver, store: store, parallelism: 8).apply(F.plan(keys), lockfile: try F.start(store))

        #expect(report.complete)
        #expect(report.succeeded == 40)
        #expect(driver.log.failures.isEmpty)
        #expect(driver.log.throttles == [4])
        // Tried again with the same token; no longer a first use (the throttle may follow an ambiguous attempt).
        let again = driver.calls.filter { $0.address == throttled }
        #expect(again.map(\.token) == ["tok-k01", "tok-k01"])
        #expect(again.map(\.firstUse) == [true, false])
        #expect(lockfile.resources[throttled]?.cloudID == "cloud-k01")
        #expect(lockfile.journal.isEmpty)
        // The intent of the throttled call was dropped before the retry wrote it again.
        let journaled = store.history.map { $0.journal.contains { $0.token == "tok-k01" } }
        #expect(journaled.enumerated().filter { $0.offset == 0 || journaled[$0.offset - 1] != $0.element }.map(\.element)
            == [false, true, false, true, false])

        // A call launched after the throttle starts only within AdaptiveLimit's rule: 4, one more
        // for every five successes (counted generously: every finish logged before the call), at most 8.
        let entries = driver.log.all
        let throttleAt = entries.firstIndex { if case .event(.throttled) = $0 { true } else { false } }!
        let later = driver.calls.filter { !firstBatch.contains($0.address) || $0.address == throttled && !$0.firstUse }
        #expect(later.count == 33 && later.allSatisfy { $0.sequence > throttleAt })
        for call in later {
            let finished = entries[..<call.sequence].filter { if case .event(.finished) = $0 { true } else { false } }.count
            #expect(call.inFlight <= min(8, 4 + finished / 5), "call of \(call.address) started with \(call.inFlight) in flight")
        }
        #expect(later.map(\.inFlight).max()! > 4, "the limit creeps back up")
    }

    @Test func anActionStillThrottledAfterThreeRetriesFails() async throws {
        let store = MemoryStateStore()
        let throttled = F.address(.key, "k01")
        let driver = ScriptedDriver(script: [throttled: Array(repeating: .throttle, count: 4)])
        let (report, lockfile) = await F.executor(driver, store: store, parallelism: 4).apply(F.plan(F.keys(1)), lockfile: try F.start(store))
        #expect(driver.log.throttles == [2, 1, 1])
        #expect(driver.calls.count == 4)
        #expect(report.failed.map(\.address) == [throttled])
        #expect(report.failed.first?.message == "still throttled after backing off")
        #expect(driver.log.failures.map(\.1) == ["still throttled after backing off"])
        #expect(lockfile.journal.isEmpty)  // a throttled call did nothing
    }

    // MARK: The journal after a failure

    @Test(arguments: [400, 403, 409])
    func aCleanRefusalForgetsTheIntent(status: Int) async throws {
        let store = MemoryStateStore()
        let key = F.spec(.key, "k01")
        let driver = ScriptedDriver(script: [key.address: [.refuse(status: status)]])
        let (report, lockfile) = await F.executor(driver, store: store, parallelism: 2).apply(F.plan([key]), lockfile: try F.start(store))
        #expect(report.failed.map(\.address) == [key.address])
        #expect(driver.log.failures.first?.1.contains("HTTP \(status)") == true)
        #expect(lockfile.journal.isEmpty)
        #expect(try store.load()?.journal.isEmpty == true)
        // Nothing was made: the next plan mints a new token.
        let next = F.nextPlan([key], lockfile: lockfile)
        #expect(next.changes.map(\.action) == [.create])
        #expect(next.changes.first?.token != "tok-k01")
    }

    @Test(arguments: [ScriptedDriver.Reply.serverError, .transport])
    func anAmbiguousFailureKeepsTheIntentAndTheNextPlanResumesIt(reply: ScriptedDriver.Reply) async throws {
        let store = MemoryStateStore()
        let key = F.spec(.key, "k01")
        let driver = ScriptedDriver(script: [key.address: [reply]], onCall: { request in
            // Write-ahead: the intent is saved before the call.
            #expect((try? store.load())?.journal.map(\.token) == [request.token])
        })
        let (report, lockfile) = await F.executor(driver, store: store, parallelism: 2).apply(F.plan([key]), lockfile: try F.start(store))
        #expect(report.failed.map(\.address) == [key.address])
        #expect(lockfile.journal.map(\.token) == ["tok-k01"])
        #expect(lockfile.journal.first?.operation == .create)
        #expect(try store.load() == lockfile)
        let next = F.nextPlan([key], lockfile: lockfile)
        #expect(next.changes.map(\.token) == ["tok-k01"])
        #expect(next.changes.first?.reason == "an earlier apply was interrupted while creating it")
        #expect(next.changes.first?.freshToken == nil)
    }

    // MARK: Dependencies

    /// network ← firewall ← instance; load_balancer ← (network, firewall); lb_target ← (load_balancer, instance).
    /// Listed by address, `lb_target` comes before `load_balancer`, which it depends on.
    static func podSpecs() -> [ResourceSpec] {
        let network = F.address(.network, "main"), firewall = F.address(.firewall, "main")
        let instance = F.address(.instance, "app"), balancer = F.address(.loadBalancer, "main")
        return [
            F.spec(.network, "main"),
            F.spec(.firewall, "main", references: ["network": network]),
            F.spec(.instance, "app", references: ["network": network, "firewall": firewall]),
            F.spec(.loadBalancer, "main", references: ["network": network, "firewall": firewall]),
            F.spec(.lbTarget, "app", references: ["load_balancer": balancer, "instance": instance]),
            F.spec(.key, "k01"),
        ]
    }

    @Test func eachActionStartsOnlyOnceWhatItNeedsIsRecorded() async throws {
        let store = MemoryStateStore()
        let specs = Self.podSpecs()
        let driver = ScriptedDriver(onCall: { request in
            for dependency in request.spec.dependencies {
                #expect(request.dependencies[dependency]?.cloudID == "cloud-\(dependency.name)", "\(request.spec.address) before \(dependency)")
            }
        })
        let (report, lockfile) = await F.executor(driver, store: store, parallelism: 10).apply(F.plan(specs), lockfile: try F.start(store))
        #expect(report.complete)
        #expect(lockfile.resources.count == specs.count)
    }

    @Test(arguments: [ScriptedDriver.Reply.refuse(status: 400), .serverError, .transport])
    func aFailureSkipsWhatDependsOnItAndTheRestStillRuns(reply: ScriptedDriver.Reply) async throws {
        let store = MemoryStateStore()
        let network = F.address(.network, "main"), key = F.address(.key, "k01")
        // The key is slow, so the failure is handled while it is still in flight.
        let driver = ScriptedDriver(script: [network: [reply]], delay: .milliseconds(3))
        let (report, lockfile) = await F.executor(driver, store: store, parallelism: 10)
            .apply(F.plan(Self.podSpecs()), lockfile: try F.start(store))

        #expect(Set(driver.calls.map(\.address)) == [network, key])
        #expect(report.failed.map(\.address) == [network])
        #expect(report.succeeded == 1)
        #expect(report.skipped == 4)
        #expect(!report.interrupted)
        // Every dependent, direct or not, and whatever its place in the list.
        let reason = "a resource it depends on failed"
        #expect(driver.log.skips == [
            F.address(.firewall, "main"): reason, F.address(.instance, "app"): reason,
            F.address(.loadBalancer, "main"): reason, F.address(.lbTarget, "app"): reason,
        ])
        #expect(Array(lockfile.resources.keys) == [key])
    }

    @Test func aDependentListedBeforeItsSkippedDependencyIsSkippedAsSuchToo() async throws {
        // lb_target (listed first) needs load_balancer, which needs the network that fails; nothing
        // else is in flight, so the skip cannot wait for another action to finish.
        let store = MemoryStateStore()
        let network = F.address(.network, "main"), balancer = F.address(.loadBalancer, "main")
        let specs = [
            F.spec(.network, "main"), F.spec(.loadBalancer, "main", references: ["network": network]),
            F.spec(.lbTarget, "app", references: ["load_balancer": balancer]),
        ]
        let driver = ScriptedDriver(script: [network: [.refuse(status: 400)]])
        let (report, _) = await F.executor(driver, store: store, parallelism: 1).apply(F.plan(specs), lockfile: try F.start(store))
        #expect(report.skipped == 2)
        #expect(driver.log.skips == [
            balancer: "a resource it depends on failed", F.address(.lbTarget, "app"): "a resource it depends on failed",
        ])
    }

    // MARK: Interrupt

    @Test func anInterruptLetsInFlightActionsFinishAndSkipsTheRest() async throws {
        let store = MemoryStateStore()
        let interrupt = InterruptFlag()
        let first = F.address(.key, "k01")
        let driver = ScriptedDriver(delay: .milliseconds(3), onCall: { request in
            if request.spec.address == first { interrupt.raise() }
        })
        let (report, lockfile) = await F.executor(driver, store: store, parallelism: 2, interrupt: interrupt)
            .apply(F.plan(F.keys(6)), lockfile: try F.start(store))

        // k02 is in flight too when the executor started it before k01's call raised the flag;
        // on a loaded machine k01's call may come first. Either way: what started finishes and is
        // recorded, nothing starts after, and the rest is skipped as interrupted.
        let made = Set(driver.calls.map(\.address))
        #expect(report.interrupted)
        #expect(report.failed.isEmpty)
        #expect(made.contains(first) && made.isSubset(of: [first, F.address(.key, "k02")]), "only what was in flight: \(made)")
        #expect(report.succeeded == made.count && driver.calls.count == made.count)
        #expect(report.skipped == 6 - made.count)
        #expect(Set(lockfile.resources.keys) == made)
        #expect(lockfile.journal.isEmpty)
        #expect(try store.load() == lockfile)
        let rest = (1...6).map { F.address(.key, "k0\($0)") }.filter { !made.contains($0) }
        #expect(driver.log.skips == Dictionary(uniqueKeysWithValues: rest.map { ($0, "interrupted") }))
    }
}
