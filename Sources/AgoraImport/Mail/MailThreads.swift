import AgoraKit
import Foundation

/// Jamie Zawinski's threading, as Netscape, mutt and Mailman thread: a container per
/// Message-ID, parents from References then In-Reply-To, loops refused, containers kept for
/// messages never seen (a thread whose first message is not in the archive keeps its place),
/// and, only for messages with no parent at all, replies joined to the thread of their subject.
public enum MailThreads {
    /// What threading needs of a message.
    public struct Item: Sendable {
        public var id: String
        /// References, oldest first, then In-Reply-To when it is not the last of them.
        public var parents: [String]
        /// The subject with `Re:`, `Fwd:`, `[LIST]` and the like taken off, folded.
        public var subjectKey: String
        /// Whether the subject said it was a reply ("Re: ...").
        public var isReply: Bool

        public init(id: String, parents: [String], subjectKey: String, isReply: Bool) {
            self.id = id
            self.parents = parents
            self.subjectKey = subjectKey
            self.isReply = isReply
        }
    }

    /// A thread: its root (an item's index, or nil for a message not in the archive) and every
    /// message under it with its parent (an index, or nil when its parent is the root or a
    /// message not in the archive), in the order given.
    public struct Thread: Sendable, Equatable {
        public var root: Int?
        /// The id the root has (the missing message's, for a placeholder).
        public var rootID: String
        public var replies: [(index: Int, parent: Int?)]

        public init(root: Int?, rootID: String, replies: [(index: Int, parent: Int?)]) {
            self.root = root
            self.rootID = rootID
            self.replies = replies
        }

        public static func == (a: Thread, b: Thread) -> Bool {
            a.root == b.root && a.rootID == b.rootID && a.replies.elementsEqual(b.replies) { $0.index == $1.index && $0.parent == $1.parent }
        }
    }

    private final class Container {
        let id: String
        var item: Int?
        weak var parent: Container?
        var children: [Container] = []

        init(id: String) { self.id = id }

        func isAncestor(of other: Container) -> Bool {
            var node: Container? = other
            var steps = 0
            while let current = node, steps < 10_000 {
                if current === self { return true }
                node = current.parent
                steps += 1
            }
            return false
        }
    }

    /// `items` in the order they were written (oldest first). An id that comes twice is one
    /// message (the first kept); the others are left out of every thread.
    public static func thread(_ items: [Item]) -> [Thread] {
        var table: [String: Container] = [:]
        var all: [Container] = []
        func container(_ id: String) -> Container {
            if let known = table[id] { return known }
            let made = Container(id: id)
            table[id] = made
            all.append(made)
            return made
        }
        func link(_ child: Container, to parent: Container) {
            guard child.parent == nil, child !== parent, !child.isAncestor(of: parent) else { return }
            child.parent = parent
            parent.children.append(child)
        }
        for (index, item) in items.enumerated() {
            let own = container(item.id)
            guard own.item == nil else { continue }
            own.item = index
            var previous: Container?
            for id in item.parents where id != item.id {
                let next = container(id)
                if let previous { link(next, to: previous) }
                previous = next
            }
            if let previous, own.parent == nil { link(own, to: previous) }
        }
        // Roots, in the order their first message came.
        var roots = all.filter { $0.parent == nil }
        // Replies with no parent at all join the thread their subject began.
        var bySubject: [String: Container] = [:]
        for root in roots {
            guard let index = root.item else { continue }
            let item = items[index]
            if item.parents.isEmpty, item.isReply, !item.subjectKey.isEmpty, let thread = bySubject[item.subjectKey], thread !== root {
                link(root, to: thread)
            } else if bySubject[item.subjectKey] == nil, !item.subjectKey.isEmpty {
                bySubject[item.subjectKey] = root
            }
        }
        roots = roots.filter { $0.parent == nil }
        return roots.compactMap { root in
            var replies: [(index: Int, parent: Int?)] = []
            var stack: [(Container, Int?)] = root.children.reversed().map { ($0, root.item == nil ? nil : root.item) }
            // Depth first, each container's children in the order they came.
            while let (node, parentItem) = stack.popLast() {
                let below = node.item ?? parentItem
                if let index = node.item { replies.append((index, parentItem == root.item ? nil : parentItem)) }
                stack += node.children.reversed().map { ($0, below) }
            }
            replies.sort { $0.index < $1.index }
            guard root.item != nil || !replies.isEmpty else { return nil }
            return Thread(root: root.item, rootID: root.id, replies: replies)
        }
        .sorted { ($0.root ?? $0.replies.first?.index ?? 0) < ($1.root ?? $1.replies.first?.index ?? 0) }
    }

    /// A subject as threads are matched by: `Re:`, `RE:`, `Aw:`, `Fwd:`, `[LIST]` and quotes
    /// taken off, folded; and whether it said it was a reply.
    public static func subjectKey(_ subject: String) -> (key: String, isReply: Bool) {
        var text = Substring(subject).utf8.drop { $0 == 0x20 || $0 == 0x27 || $0 == 0x22 }
        while let last = text.last, last == 0x20 || last == 0x27 || last == 0x22 { text = text.dropLast() }
        var isReply = false
        var changed = true
        /// Whether the text begins with `prefix` (lower-case ASCII), in any case.
        func starts(_ prefix: StaticString) -> Bool {
            guard text.count >= prefix.utf8CodeUnitCount else { return false }
            var index = text.startIndex
            for k in 0..<prefix.utf8CodeUnitCount {
                let byte = text[index]
                guard (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == prefix.utf8Start[k] else { return false }
                index = text.index(after: index)
            }
            return true
        }
        while changed {
            changed = false
            text = text.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            if text.first == 0x5B, let close = text.firstIndex(of: 0x5D) {
                text = text[text.index(after: close)...]
                changed = true
                continue
            }
            for (prefix, reply) in [("re:", true), ("aw:", true), ("sv:", true), ("fwd:", false), ("fw:", false), ("re :", true), ("tr:", false)] as [(StaticString, Bool)]
            where starts(prefix) {
                if reply { isReply = true }
                text = text.dropFirst(prefix.utf8CodeUnitCount)
                changed = true
            }
        }
        return (Folding.key(String(Substring(text))), isReply)
    }
}
