import Foundation

/// A bounded queue between the thread that makes import batches and the one that writes them.
/// A producer blocked on a full queue is released (with an error) when the writer gives up.
final class BatchChannel: @unchecked Sendable {
    enum Item {
        case batch(CacheContent)
        case done
        case failed(any Error)
    }

    struct Cancelled: Error {}

    private let condition = NSCondition()
    private var items: [Item] = []
    private let capacity: Int
    private var cancelled = false
    private var producing = true

    init(capacity: Int) { self.capacity = capacity }

    func put(_ item: Item) throws {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity, !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        items.append(item)
        condition.broadcast()
    }

    func take() -> Item {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty {
            if !producing { return .failed(Cancelled()) }
            condition.wait()
        }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    func finishProducing() {
        condition.lock()
        producing = false
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the producer at its next `put` and waits until it has finished.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        while producing { condition.wait() }
        condition.unlock()
    }
}

/// Holds the function that makes batches, for the thread that calls it; taken once.
final class ProducerBox: @unchecked Sendable {
    private let lock = NSLock()
    private var produce: (((CacheContent) throws -> Void) throws -> Void)?

    init(_ produce: @escaping ((CacheContent) throws -> Void) throws -> Void) { self.produce = produce }

    func take() -> (((CacheContent) throws -> Void) throws -> Void)? {
        lock.lock()
        defer { lock.unlock() }
        let taken = produce
        produce = nil
        return taken
    }

    func empty() { _ = take() }
}
