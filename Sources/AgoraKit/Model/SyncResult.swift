import Foundation

/// How a source's last sync went, as values: what the sources screen says briefly ("11 new, 72
/// new replies", "no change", "failed: ...") is made from these, never read out of the words.
public struct SyncResult: Hashable, Sendable, Codable {
    public enum Outcome: String, Hashable, Sendable, Codable {
        case updated, notModified = "not-modified", failed
        /// Not asked: the server said to wait (Retry-After) and the time has not come.
        case waiting
    }

    public var outcome: Outcome
    public var added = 0
    public var updated = 0
    /// A forum's replies: new, and changed.
    public var newReplies = 0
    public var changedReplies = 0
    /// Why it failed, or what it waits for, as said to the person.
    public var reason: String?

    public init(outcome: Outcome, added: Int = 0, updated: Int = 0, newReplies: Int = 0, changedReplies: Int = 0, reason: String? = nil) {
        self.outcome = outcome
        self.added = added
        self.updated = updated
        self.newReplies = newReplies
        self.changedReplies = changedReplies
        self.reason = reason
    }

    /// As a column has room for: what was new, not the zeros; "no change"; a failure whole.
    public var brief: String {
        switch outcome {
        case .failed: return "failed: " + (reason ?? "unknown error")
        case .waiting: return reason ?? "waiting"
        case .notModified: return "no change"
        case .updated:
            var parts: [String] = []
            if added > 0 { parts.append("\(added) new") }
            if updated > 0 { parts.append("\(updated) updated") }
            if newReplies > 0 { parts.append("\(newReplies) new \(newReplies == 1 ? "reply" : "replies")") }
            if changedReplies > 0 { parts.append("\(changedReplies) changed") }
            return parts.isEmpty ? "no change" : parts.joined(separator: ", ")
        }
    }
}
