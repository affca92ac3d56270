/// Puts a post's comments in reading order: each thread oldest first, every answer right under
/// the comment it answers, with its depth.
public enum CommentThreads {
    /// `items` must already be oldest first. A comment whose parent is missing (deleted, or on
    /// another post) starts a thread of its own; a loop of parents cannot hang it.
    public static func ordered(_ items: [CommentItem]) -> [CommentItem] {
        guard items.contains(where: { $0.comment.parent != nil }) else { return items }
        let ids = Set(items.map(\.id))
        var children: [Comment.ID: [Int]] = [:]
        var roots: [Int] = []
        for (index, item) in items.enumerated() {
            if let parent = item.comment.parent, parent != item.id, ids.contains(parent) {
                children[parent, default: []].append(index)
            } else {
                roots.append(index)
            }
        }
        var out: [CommentItem] = []
        out.reserveCapacity(items.count)
        var placed = Set<Comment.ID>()
        func visit(_ index: Int, depth: Int) {
            // Iterative, so a 300-deep thread cannot exhaust the stack.
            var stack: [(Int, Int)] = [(index, depth)]
            while let (current, level) = stack.popLast() {
                let item = items[current]
                guard placed.insert(item.id).inserted else { continue }
                var copy = item
                copy.depth = level
                out.append(copy)
                for child in (children[item.id] ?? []).reversed() { stack.append((child, level + 1)) }
            }
        }
        for root in roots { visit(root, depth: 0) }
        // Comments caught in a loop of parents have no root: show them at the top level.
        for index in items.indices where !placed.contains(items[index].id) { visit(index, depth: 0) }
        return out
    }
}
