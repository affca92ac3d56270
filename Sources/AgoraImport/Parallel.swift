import Foundation

/// `body` over `items` on `workers` threads of their own, results in order. Not the dispatch
/// pool: each body waits on the network, and with every pool thread waiting, a sync's first
/// fetches stalled a second or two until the pool grew (on 2 cores, 4 at once stalled every time).
enum Parallel {
    static func map<T, R>(_ items: [T], workers: Int, _ body: @escaping @Sendable (T) -> R) -> [R] {
        guard items.count > 1, workers > 1 else { return items.map(body) }
        let results = Box<R>(count: items.count)
        let done = DispatchSemaphore(value: 0)
        let threads = min(workers, items.count)
        let shared = UncheckedSendable(items)
        for _ in 0..<threads {
            let thread = Thread {
                while let index = results.take() { results.set(index, body(shared.value[index])) }
                done.signal()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        for _ in 0..<threads { done.wait() }
        return results.all
    }

    private final class Box<R>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private var values: [R?]

        init(count: Int) { values = Array(repeating: nil, count: count) }

        func take() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < values.count else { return nil }
            next += 1
            return next - 1
        }

        func set(_ index: Int, _ value: R) {
            lock.lock()
            values[index] = value
            lock.unlock()
        }

        var all: [R] { values.map { $0! } }
    }
}

struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
