import Dispatch
import Foundation

/// Work on every core, for what is pure and large enough to be worth the threads: results in
/// the order of the input, whatever order they are made in.
public enum Concurrently {
    /// `transform` of each item; on one thread when there are fewer than `minimum`.
    public static func map<T: Sendable, R: Sendable>(_ items: [T], minimum: Int = 32, chunk: Int = 8,
                                                     _ transform: @Sendable (T) -> R) -> [R] {
        guard items.count >= minimum else { return items.map(transform) }
        let made = UnsafeMutableBufferPointer<R>.allocate(capacity: items.count)
        defer { made.deallocate() }
        let out = Slots(made.baseAddress!)
        let chunks = (items.count + chunk - 1) / chunk
        items.withUnsafeBufferPointer { input in
            let given = Given(input)
            DispatchQueue.concurrentPerform(iterations: chunks) { index in
                for k in (index * chunk)..<min(given.buffer.count, (index + 1) * chunk) {
                    (out.pointer + k).initialize(to: transform(given.buffer[k]))
                }
            }
        }
        let results = Array(made)
        _ = made.baseAddress!.deinitialize(count: items.count)
        return results
    }

    private struct Slots<R>: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<R>
        init(_ pointer: UnsafeMutablePointer<R>) { self.pointer = pointer }
    }

    private struct Given<T>: @unchecked Sendable {
        let buffer: UnsafeBufferPointer<T>
        init(_ buffer: UnsafeBufferPointer<T>) { self.buffer = buffer }
    }
}

/// Work done on a thread of its own, its result waited for when it is wanted.
public final class Ahead<T>: @unchecked Sendable {
    private var result: Result<T, Error>?
    private let done = DispatchSemaphore(value: 0)

    public init(_ work: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in
            result = Result { try work() }
            done.signal()
        }
        thread.stackSize = 4 << 20
        thread.start()
    }

    public func value() throws -> T {
        done.wait()
        done.signal()
        return try result!.get()
    }
}
