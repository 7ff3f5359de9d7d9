import Foundation
@testable import KaiyuanServer
import XCTest

/// The server's queue of whole-store work: one job per key and stamp, stale jobs dropped,
/// and a bound past which a request is told to come back.
final class JobCacheTests: XCTestCase {
    func testTheQueueIsBoundedDeduplicatedAndDropsStaleWork() throws {
        // The store's stamp, as the server asks it: it moves from s1 to s2 below.
        let stamp = NSLock()
        nonisolated(unsafe) var now = "s1"
        let cache = JobCache(capacity: 8, maxPending: 3, currentStamp: { stamp.lock(); defer { stamp.unlock() }; return now })
        let gate = DispatchSemaphore(value: 0)
        let ran = NSLock()
        nonisolated(unsafe) var done: [String] = []
        func job(_ name: String) -> () throws -> String {
            { if name == "first" { gate.wait() }; ran.lock(); done.append(name); ran.unlock(); return name }
        }
        // "first" runs and blocks; three more wait; the fifth distinct one is refused.
        guard case .computing = cache.get("first", stamp: "s1", job("first")) else { return XCTFail("first") }
        Thread.sleep(forTimeInterval: 0.1)
        for k in ["a", "b", "c"] { guard case .computing = cache.get(k, stamp: "s1", job(k)) else { return XCTFail(k) } }
        guard case .computing = cache.get("a", stamp: "s1", job("a")) else { return XCTFail("a again is the same job") }
        guard case .busy = cache.get("d", stamp: "s1", job("d")) else { return XCTFail("d must be refused") }
        // The data changed: the jobs waiting for the old stamp are dropped, so there is room;
        // a late request still carrying s1 drops nothing of s2's.
        stamp.lock(); now = "s2"; stamp.unlock()
        guard case .computing = cache.get("d", stamp: "s2", job("d")) else { return XCTFail("d at s2") }
        guard case .computing = cache.get("late", stamp: "s1", job("late")) else { return XCTFail("late") }
        gate.signal()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if case .ready(let v) = cache.get("d", stamp: "s2", job("d")), v == "d" { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        ran.lock(); defer { ran.unlock() }
        XCTAssertEqual(done, ["first", "d"], "a, b, c and late were for data that had changed: never run")
    }
}
