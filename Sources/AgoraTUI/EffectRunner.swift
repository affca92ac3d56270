import AgoraKit

/// Does what effects ask of the store and says what came back. The run loop uses it with the
/// real cache, tests with a temporary one; opening a link is left to the caller.
public struct EffectRunner: Sendable {
    public let store: any CommunityStore

    public init(store: any CommunityStore) { self.store = store }

    /// Nil for effects with nothing to report, and for `openURL` (the caller's job).
    public func perform(_ effect: Effect) -> Loaded? {
        do {
            switch effect {
            case .loadPosts(let offset, let limit):
                let rows = try store.posts(PostQuery(offset: offset, limit: limit))
                return .posts(offset: offset, rows: rows, counts: try store.counts(.all))
            case .loadMembers(let offset, let limit):
                let rows = try store.members(MemberQuery(offset: offset, limit: limit))
                return .members(offset: offset, rows: rows, total: try store.memberCount(country: nil))
            case .openPost(let id):
                return .post(try store.post(id))
            case .openMember(let id):
                return .member(try store.member(id))
            case .setRead(let id, let read):
                try store.setRead(read, posts: [id])
                return nil
            case .setStarred(let id, let starred):
                try store.setStarred(starred, posts: [id])
                return nil
            case .markCommentsRead(let ids):
                try store.setRead(true, comments: ids)
                return nil
            case .markAllRead:
                return .markedAllRead(try store.markAllRead(.all))
            case .undo:
                return .undone(try store.undo(nil))
            case .findUnread(let from, let forward):
                return try findUnread(from: from, forward: forward)
            case .openURL:
                return nil
            }
        } catch let error as AgoraError {
            return .message(error.description)
        } catch {
            return .message(String(describing: error))
        }
    }

    /// Runs effects, and the effects their results ask for, until none are left.
    public func settle(_ state: inout AppState, _ effects: [Effect], openURL: (String) -> String = { "Opened \($0)" }) {
        var pending = effects
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            if case .openURL(let url) = effect {
                pending += state.receive(.message(openURL(url)))
            } else if let loaded = perform(effect) {
                pending += state.receive(loaded)
            }
        }
    }

    /// Looks for the next unread post a window at a time.
    private func findUnread(from start: Int, forward: Bool) throws -> Loaded {
        let total = try store.counts(.all).total
        let chunk = 500
        var position = start
        while position >= 0 && position < total {
            let offset = forward ? position : max(0, position - chunk + 1)
            let rows = try store.posts(PostQuery(offset: offset, limit: forward ? chunk : position - offset + 1))
            if rows.isEmpty { break }
            let indexed = Array(rows.enumerated())
            if let hit = (forward ? indexed : indexed.reversed()).first(where: { !$0.element.state.read }) {
                return .unreadFound(index: offset + hit.offset, post: hit.element)
            }
            position = forward ? offset + rows.count : offset - 1
        }
        return .noUnread
    }
}
