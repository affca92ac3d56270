import Foundation

/// Content in and out: sources and their counts, imports merged into the values, exports.
extension JSONStore {
    // MARK: - Content in and out

    public func sources() throws -> [Source] {
        read { $0.file.sources.sorted { ($0.name, $0.id) < ($1.name, $1.id) } }
    }

    public func sourceCounts() throws -> [SourceCount] {
        read { contents in
            struct Pair: Hashable { var source: Source.ID?, category: String? }
            var counts: [Pair: SourceCount] = [:]
            for post in contents.file.posts where !contents.isMuted(post.author) {
                let pair = Pair(source: post.source, category: post.category)
                counts[pair, default: SourceCount(source: post.source, category: post.category, posts: 0, unread: 0)].posts += 1
                if !contents.state(post.id).read { counts[pair]!.unread += 1 }
                counts[pair]!.newReplies += contents.newComments(post.id)
            }
            return counts.values.sorted { ($0.source?.rawValue ?? "", $0.category ?? "") < ($1.source?.rawValue ?? "", $1.category ?? "") }
        }
    }

    /// A JSON cache is written whole: the batches are gathered and written once.
    @discardableResult
    public func importBatches(_ produce: ((CacheContent) throws -> Void) throws -> Void) throws -> ImportSummary {
        var all = CacheContent()
        try produce { batch in
            if let community = batch.community { all.community = community }
            all.sources += batch.sources
            all.members += batch.members
            all.posts += batch.posts
            all.comments += batch.comments
            all.postStates.merge(batch.postStates) { $1 }
            all.commentStates.merge(batch.commentStates) { $1 }
        }
        return try importContent(all)
    }

    public func removeSource(_ id: Source.ID) throws {
        try change { contents in
            guard let index = contents.file.sources.firstIndex(where: { $0.id == id }) else {
                throw AgoraError.invalidArgument("no source with id '\(id)' (agora sources lists them)")
            }
            contents.file.sources.remove(at: index)
        }
    }

    @discardableResult
    public func importContent(_ content: CacheContent) throws -> ImportSummary {
        let content = try ContentCheck.prepared(content)
        return try change { contents in
            var summary = ImportSummary()
            summary.droppedDates = content.droppedDates
            var file = contents.file
            if let community = content.community { file.community = community }
            for source in content.sources {
                if let index = file.sources.firstIndex(where: { $0.id == source.id }) { file.sources[index] = source }
                else { file.sources.append(source) }
            }
            Self.merge(content.members, into: &file.members, index: contents.memberIndex, counts: &summary.members, rule: MergeRule.member)
            let kinds = Dictionary(file.sources.map { ($0.id, $0.kind) }, uniquingKeysWith: { a, _ in a })
            Self.merge(content.posts, into: &file.posts, index: contents.postIndex, counts: &summary.posts) { incoming, stored in
                MergeRule.post(incoming, over: stored) { $0.flatMap { kinds[$0] }?.traits.richness ?? 0 }
            }
            let knownPosts = Set(file.posts.map(\.id))
            for comment in content.comments where !knownPosts.contains(comment.post) {
                throw AgoraError.commentWithoutPost(comment: comment.id.rawValue, post: comment.post.rawValue)
            }
            let commentIndex = Dictionary(file.comments.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            Self.merge(content.comments, into: &file.comments, index: commentIndex, counts: &summary.comments)
            for (id, state) in content.postStates where state != .unread && knownPosts.contains(id) {
                var entry = file.state.posts[id.rawValue] ?? .init()
                let merged = entry.state.merged(with: state)
                if merged.read, !entry.state.read { summary.postsMarkedRead += 1 }
                if merged.starred, !entry.state.starred { summary.postsStarred += 1 }
                entry.read = merged.read
                entry.readAt = merged.readAt
                entry.starred = merged.starred
                file.state.posts[id.rawValue] = entry
            }
            // Muted in either stays muted; members the cache lacks are left out.
            let knownMembers = Set(file.members.map(\.id))
            for (member, since) in content.muted where file.state.muted[member.rawValue] == nil {
                guard knownMembers.contains(member) else {
                    summary.mutesLeftOut += 1
                    continue
                }
                file.state.muted[member.rawValue] = since
                summary.membersMuted += 1
            }
            for (id, state) in content.commentStates where state.read {
                let old = file.state.comments[id.rawValue]
                if old?.read != true, commentIndex[id] != nil { summary.commentsMarkedRead += 1 }
                let times = [old?.readAt, state.readAt].compactMap { $0 }
                file.state.comments[id.rawValue] = CommentState(read: true, readAt: times.min())
            }
            contents.file = file
            contents.reindex()
            return summary
        }
    }

    static func merge<T: Identifiable & Equatable>(
        _ incoming: [T], into existing: inout [T], index: [T.ID: Int], counts: inout ImportSummary.Counts,
        rule: (_ incoming: T, _ stored: T) -> T = { incoming, _ in incoming }
    ) {
        for given in incoming {
            if let at = index[given.id] {
                let item = rule(given, existing[at])
                counts.count(existing: true, changed: existing[at] != item)
                existing[at] = item
            } else {
                counts.count(existing: false, changed: true)
                existing.append(given)
            }
        }
    }

    public func mutedMembers() throws -> [Member.ID: Date] {
        read { contents in Dictionary(uniqueKeysWithValues: contents.file.state.muted.map { (Member.ID($0.key), $0.value) }) }
    }

    public func setMuted(_ muted: Bool, member: Member.ID) throws {
        let now = clock()
        try mark(muted: [member]) { contents in
            guard muted else {
                contents.file.state.muted[member.rawValue] = nil
                return
            }
            guard contents.memberIndex[member] != nil else { throw AgoraError.memberNotFound(member) }
            if contents.file.state.muted[member.rawValue] == nil { contents.file.state.muted[member.rawValue] = now }
        }
    }

    public func exportContent() throws -> CacheContent {
        read { $0.file.content }
    }
}
