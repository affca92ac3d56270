import AgoraKit
import AgoraTUI

/// Does what effects ask of the store and says what came back. The run loop uses it with the
/// real cache, tests with a temporary one; opening a link is left to the caller.
public struct EffectRunner: Sendable {
    public let store: any CommunityStore

    public init(store: any CommunityStore) { self.store = store }

    /// Nil for effects with nothing to report, and for `openURL` (the caller's job).
    public func perform(_ effect: Effect) -> Loaded? {
        do {
            switch effect {
            case .loadPosts(let offset, let limit, let filter, let sort):
                let rows = try store.posts(PostQuery(filter: filter, sort: sort, offset: offset, limit: limit))
                return .posts(offset: offset, rows: rows, counts: nil)
            case .countPosts(let filter):
                return .postCounts(try store.counts(filter))
            case .loadMembers(let offset, let limit, let name, let country, let sort):
                let query = MemberQuery(country: country, name: name, sort: sort, offset: offset, limit: limit)
                let rows = try store.members(query)
                return .members(offset: offset, rows: rows, total: try store.memberCount(query))
            case .loadCountries:
                return .countries(try store.memberCountries())
            case .search(let query, let limit):
                return .searchResults(for: query, try store.quickSearch(query, kinds: Set(SearchKind.allCases), limit: limit, offset: 0))
            case .toggleMute(let id, let name):
                let muted = try store.mutedMembers()[id] == nil
                try store.setMuted(muted, member: id)
                return .muteChanged(id, name: name, muted: muted)
            case .loadStats:
                return .stats(try store.communityStats())
            case .loadSources:
                return .sources(try store.sources(), try store.sourceCounts())
            case .countSearch(let query):
                return .searchCounts(for: query, try store.searchCounts(query, kinds: Set(SearchKind.allCases)))
            case .findUnread(let search):
                guard let (index, post) = try store.nextUnread(search) else { return .noUnread(forward: search.forward) }
                return .unreadFound(index: index, post: post)
            case .openPost(let id):
                return .post(try store.post(id))
            case .reloadPost(let id):
                return .postReloaded(try store.post(id))
            case .completeArticle(let partial):
                return .articleCompleted(partial.completed())
            case .openMember(let id):
                return .member(try store.member(id, limit: 50))
            case .setRead(let id, let read):
                try store.setRead(read, posts: [id])
                return nil
            case .setStarred(let id, let starred):
                try store.setStarred(starred, posts: [id])
                return nil
            case .markCommentsRead(let ids):
                try store.setRead(true, comments: ids)
                return nil
            case .markAllRead(let filter):
                return .markedAllRead(try store.markAllRead(filter))
            case .undo:
                return .undone(try store.undo(nil))
            case .openURL, .sync:
                return nil
            }
        } catch {
            return .message(AgoraError.words(for: error))
        }
    }

    /// Runs effects, and the effects their results ask for, until none are left.
    ///
    /// With `deferWrites`, writes of reader state the screen already shows (read, starred,
    /// comments seen) and reads it need not wait for (a search's exact counts) are returned
    /// instead of done, so that the caller can draw the frame first
    /// and write after: a key is answered without waiting for the disk. What comes after a
    /// write in the same batch waits with it, so that it reads what was written.
    @discardableResult
    public func settle(
        _ state: inout AppState, _ effects: [Effect], deferWrites: Bool = false,
        openURL: (String) -> String = { "Opened \($0)" }, startSync: (Source.ID?) -> String = { _ in "Syncing is not available here." }
    ) -> [Effect] {
        var pending = effects
        var writes: [Effect] = []
        while !pending.isEmpty {
            let effect = pending.removeFirst()
            // A sync or a link is not the store's to wait for: never put off behind a write.
            if deferWrites, !effect.isOutsideTheStore, effect.isStateWrite || effect.isAfterFrame || !writes.isEmpty {
                writes.append(effect)
            } else if case .openURL(let url) = effect {
                // A mention of a forum's member opens their profile here, and a link to a topic the
                // cache has opens the topic here, not the forum's page (o 0 there opens that).
                let sources = (try? store.sources()) ?? []
                if let id = Source.member(fromLink: url) ?? Source.member(linkedBy: url, among: sources),
                   let profile = try? store.member(id, limit: 50) {
                    pending += state.receive(.linkedMember(profile))
                } else if let id = Source.post(linkedBy: url, among: sources), !state.isShowing(id), let post = try? store.post(id) {
                    pending += state.receive(.linkedPost(post))
                } else {
                    pending += state.receive(.message(openURL(url)))
                }
            } else if case .sync(let source) = effect {
                pending += state.receive(.message(startSync(source)))
            } else if let loaded = perform(effect) {
                pending += state.receive(loaded)
            }
        }
        return writes
    }

    /// Does writes that `settle` handed back, and what waited with them; a failure becomes the
    /// message on the next frame.
    public func write(_ writes: [Effect], into state: inout AppState, openURL: (String) -> String = { "Opened \($0)" }) {
        var pending: [Effect] = []
        for effect in writes {
            if let loaded = perform(effect) { pending += state.receive(loaded) }
        }
        settle(&state, pending, openURL: openURL)
    }
}
