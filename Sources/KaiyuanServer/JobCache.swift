import Foundation

/// Work that reads much of the store (ranks, label sums, the overview) runs here, one job at a
/// time on its own thread, never inside a request: a request gets the result when it is ready
/// for the store's current data stamp, or "computing" at once. Results of an older stamp are
/// dropped, and so are waiting jobs of an older stamp; the same job is queued once; at most
/// `maxPending` wait (then "busy"), and at most `capacity` results are kept.
final class JobCache: @unchecked Sendable {
    enum State<T> { case ready(T), computing, failed(String), busy }

    private let lock = NSLock()
    private var results: [String: (stamp: String, value: Any, used: Int)] = [:]
    private var failures: [String: (stamp: String, message: String)] = [:]
    private final class Job: @unchecked Sendable {
        let key: String, stamp: String, work: () throws -> Any
        init(_ key: String, _ stamp: String, _ work: @escaping () throws -> Any) { self.key = key; self.stamp = stamp; self.work = work }
    }
    private var pending: [Job] = []
    private var running: String?
    private var tick = 0
    private let capacity: Int
    private let queue = DispatchQueue(label: "kaiyuan.jobs", qos: .utility)

    /// Jobs waiting at most: past it a request is told to come back (503), not queued.
    let maxPending: Int

    /// The store's stamp now, when known: waiting jobs of another stamp are dropped.
    private let currentStamp: @Sendable () -> String?

    init(capacity: Int = 64, maxPending: Int = 16, currentStamp: @escaping @Sendable () -> String? = { nil }) {
        self.capacity = capacity; self.maxPending = maxPending; self.currentStamp = currentStamp
    }

    func get<T>(_ key: String, stamp: String, _ work: @escaping () throws -> T) -> State<T> {
        lock.lock()
        defer { lock.unlock() }
        tick += 1
        if let hit = results[key], hit.stamp == stamp, let value = hit.value as? T {
            results[key]!.used = tick
            return .ready(value)
        }
        if let failed = failures[key], failed.stamp == stamp { return .failed(failed.message) }
        // Jobs for data that has changed since they were asked for are not worth running. The
        // store says what is current (a slow request may still carry the stamp it began with).
        let current = currentStamp() ?? stamp
        pending.removeAll { $0.stamp != current }
        let full = key + "\u{0}" + stamp
        if running != full && !pending.contains(where: { $0.key == key && $0.stamp == stamp }) {
            guard pending.count < maxPending else { return .busy }
            pending.append(Job(key, stamp, { try work() }))
            if running == nil { startNext() }
        }
        return .computing
    }

    /// Called with the lock held.
    private func startNext() {
        if let current = currentStamp() { pending.removeAll { $0.stamp != current } }
        guard !pending.isEmpty else { running = nil; return }
        let job = pending.removeFirst()
        running = job.key + "\u{0}" + job.stamp
        queue.async { [self] in
            let outcome: Result<Any, Error> = Result { try job.work() }
            lock.lock()
            switch outcome {
            case .success(let value):
                results[job.key] = (job.stamp, value, tick)
                failures[job.key] = nil
                if results.count > capacity, let oldest = results.min(by: { $0.value.used < $1.value.used })?.key {
                    results[oldest] = nil
                }
            case .failure(let error):
                failures[job.key] = (job.stamp, "\(error)")
            }
            startNext()
            lock.unlock()
        }
    }
}
