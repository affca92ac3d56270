import Foundation

/// Reader state and search, over the values in memory.
extension JSONStore {
    // MARK: - Reader state

    public func setRead(_ read: Bool, posts ids: [Post.ID]) throws {
        let now = clock()
        // Reading a post reads its replies; marking it unread leaves them as they are.
        let replies = read ? self.read { contents in ids.flatMap { contents.unreadComments($0) } } : []
        try mark(posts: ids, comments: replies) { contents in
            for id in ids {
                guard contents.postIndex[id] != nil else { throw AgoraError.postNotFound(id) }
                var entry = contents.file.state.posts[id.rawValue] ?? .init()
                entry.readAt = read ? (entry.readAt ?? now) : nil
                entry.read = read
                entry.batch = nil
                contents.file.state.posts[id.rawValue] = entry
            }
            for id in replies {
                let old = contents.file.state.comments[id.rawValue]
                contents.file.state.comments[id.rawValue] = CommentState(read: true, readAt: old?.readAt ?? now)
            }
        }
    }

    public func setRead(_ read: Bool, comments ids: [Comment.ID]) throws {
        let now = clock()
        try mark(comments: ids) { contents in
            let known = Set(contents.file.comments.map(\.id))
            for id in ids {
                guard known.contains(id) else { throw AgoraError.commentNotFound(id) }
                let old = contents.file.state.comments[id.rawValue]
                contents.file.state.comments[id.rawValue] = CommentState(read: read, readAt: read ? (old?.readAt ?? now) : nil)
            }
        }
    }

    public func setStarred(_ starred: Bool, posts ids: [Post.ID]) throws {
        try mark(posts: ids) { contents in
            for id in ids {
                guard contents.postIndex[id] != nil else { throw AgoraError.postNotFound(id) }
                var entry = contents.file.state.posts[id.rawValue] ?? .init()
                entry.starred = starred
                contents.file.state.posts[id.rawValue] = entry
            }
        }
    }

    public func markAllRead(_ filter: PostFilter) throws -> JournalEntry {
        let now = clock()
        return try change { contents in
            let token = (contents.file.state.journal.map(\.token).max() ?? 0) + 1
            var count = 0
            var caughtUp = filter
            caughtUp.unreadOnly = false
            for post in contents.file.posts where contents.matches(post, caughtUp) {
                // Its replies are read with it (all caught up), whether it was read or not.
                for id in contents.unreadComments(post.id) {
                    let old = contents.file.state.comments[id.rawValue]
                    contents.file.state.comments[id.rawValue] = CommentState(read: true, readAt: old?.readAt ?? now)
                }
                guard !contents.state(post.id).read, contents.matches(post, filter) else { continue }
                var entry = contents.file.state.posts[post.id.rawValue] ?? .init()
                entry.read = true
                entry.readAt = now
                entry.batch = token
                contents.file.state.posts[post.id.rawValue] = entry
                count += 1
            }
            guard count > 0 else {
                return JournalEntry(token: 0, action: .markAllRead, date: now, scope: filter.summary, count: 0)
            }
            let journalEntry = JournalEntry(token: token, action: .markAllRead, date: now, scope: filter.summary, count: count)
            contents.file.state.journal.append(journalEntry)
            return journalEntry
        }
    }

    public func undo(_ token: JournalEntry.Token?) throws -> UndoResult {
        try change { contents in
            let journal = contents.file.state.journal
            let found = token.map { t in journal.lastIndex { $0.token == t } } ?? journal.lastIndex { !$0.undone }
            guard let index = found else { throw AgoraError.nothingToUndo }
            guard !journal[index].undone else {
                throw AgoraError.invalidArgument("change \(journal[index].token) was already undone")
            }
            let batch = journal[index].token
            var restored = 0
            for (id, entry) in contents.file.state.posts where entry.batch == batch {
                contents.file.state.posts[id] = CacheFile.PostStateEntry(read: false, readAt: nil, starred: entry.starred)
                restored += 1
            }
            contents.file.state.journal[index].undone = true
            return UndoResult(entry: contents.file.state.journal[index], restored: restored)
        }
    }

    public func journal() throws -> [JournalEntry] {
        read { Array($0.file.state.journal.reversed().prefix(100)) }
    }

    // MARK: - Search

    public func search(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int, offset: Int) throws -> SearchResults {
        guard !query.isEmpty else { return SearchResults(problems: query.problems) }
        return read { contents in
            var results = SearchResults(problems: query.problems)
            let members = Dictionary(contents.file.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            func byAuthor(_ id: Member.ID?) -> Bool {
                guard query.author != nil || query.country != nil else { return true }
                guard let id, let member = members[id] else { return false }
                if let author = query.author, !SearchQuery.nameMatches(author, member.name) { return false }
                if let country = query.country, !Self.countryMatches(country, member) { return false }
                return true
            }
            if kinds.contains(.posts) {
                // Newest published first, as every list is; counted up to the cap.
                let order = contents.file.posts.indices.sorted { a, b in
                    let (x, y) = (contents.file.posts[a], contents.file.posts[b])
                    return (x.sortDate, a) > (y.sortDate, b)
                }.map { contents.file.posts[$0] }
                var matched = 0
                for post in order where matched < max(offset + limit, SearchResults.countCap) {
                    let state = contents.state(post.id)
                    if query.unreadOnly && state.read || query.starredOnly && !state.starred { continue }
                    if contents.isMuted(post.author) { continue }
                    if let tag = query.tag, !(post.tags + [post.category].compactMap { $0 }).contains(where: { Folding.key($0).hasPrefix(tag) }) {
                        continue
                    }
                    guard byAuthor(post.author) else { continue }
                    if let from = query.dateFrom, let to = query.dateTo,
                       !(from..<to).contains(post.sortDate.timeIntervalSince1970) { continue }
                    let body = PlainText.fromHTML(post.body)
                    if !query.terms.isEmpty, !query.matches(folded: SearchText.fold(post.title + " " + body)) { continue }
                    matched += 1
                    if matched > offset, results.posts.count < limit {
                        results.posts.append(.init(post: contents.summary(post), snippet: Snippet.around(query, in: body)))
                    }
                }
                results.totals[.posts] = min(matched, SearchResults.countCap)
            }
            let commentsToo = !query.hasPostOnlyFilters && (!query.terms.isEmpty || query.author != nil || query.country != nil || query.dateFrom != nil)
            if kinds.contains(.comments), commentsToo {
                let order = contents.file.comments.indices.sorted { a, b in
                    let (x, y) = (contents.file.comments[a], contents.file.comments[b])
                    return (x.published ?? .distantPast, a) > (y.published ?? .distantPast, b)
                }.map { contents.file.comments[$0] }
                var matched = 0
                for comment in order where matched < max(offset + limit, SearchResults.countCap) {
                    if query.unreadOnly, contents.file.state.comments[comment.id.rawValue]?.read == true { continue }
                    if contents.isMuted(comment.author) { continue }
                    guard byAuthor(comment.author) else { continue }
                    if let from = query.dateFrom, let to = query.dateTo,
                       !(from..<to).contains((comment.published ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970) { continue }
                    let body = PlainText.fromHTML(comment.body)
                    if !query.terms.isEmpty, !query.matches(folded: SearchText.fold(body)) { continue }
                    matched += 1
                    guard matched > offset, results.comments.count < limit else { continue }
                    let title = contents.postIndex[comment.post].map { contents.file.posts[$0].title } ?? ""
                    results.comments.append(.init(comment: comment.id, post: comment.post, postTitle: title,
                                                  authorName: contents.authorName(of: comment), snippet: Snippet.around(query, in: body)))
                }
                results.totals[.comments] = min(matched, SearchResults.countCap)
            }
            if kinds.contains(.members), !query.hasPostOnlyFilters, !query.unreadOnly, query.dateFrom == nil {
                let counts = contents.postCounts
                let found = contents.file.members
                    .filter { m in
                        if let author = query.author, !SearchQuery.nameMatches(author, m.name) { return false }
                        if let country = query.country, !Self.countryMatches(country, m) { return false }
                        return query.terms.isEmpty
                            || query.matches(folded: SearchText.fold([m.name, m.country ?? "", m.location ?? ""].joined(separator: " ")))
                    }
                    .sorted { (Folding.key($0.name), $0.id.rawValue) < (Folding.key($1.name), $1.id.rawValue) }
                results.totals[.members] = min(found.count, SearchResults.countCap)
                results.members = found.dropFirst(offset).prefix(limit).map { contents.memberSummary($0, postCounts: counts) }
            }
            return results
        }
    }

    /// country: matches the start of the folded country name, or the ISO code.
    static func countryMatches(_ value: String, _ member: Member) -> Bool {
        CountryRule(key: value, code: value.uppercased(), extent: .start).matches(member)
    }
}
