import Foundation

/// Windows of posts, counts, one post, and the roster, from the values in memory.
extension JSONStore {
    // MARK: - Posts

    public func posts(_ query: PostQuery) throws -> [PostSummary] {
        read { contents in
            let matching = contents.file.posts.filter { contents.matches($0, query.filter) }
            var latest: [Post.ID: Double] = [:]
            if query.sort == .activity { for post in matching { latest[post.id] = contents.lastActivity(post) } }
            let sorted = Self.sort(matching, by: query.sort, commentCount: contents.commentCount,
                                   isRead: { contents.state($0).read }, activity: latest.isEmpty ? nil : { [latest] in latest[$0.id] ?? 0 })
            return sorted.dropFirst(query.offset).prefix(query.limit).map(contents.summary)
        }
    }

    /// The order the rule of `PostSort` gives, ties broken as the SQLite cache breaks them.
    static func sort(_ posts: [Post], by sort: PostSort, commentCount: (Post.ID) -> Int,
                     isRead: (Post.ID) -> Bool = { _ in false }, activity: ((Post) -> Double)? = nil) -> [Post] {
        let keys = posts.enumerated().map { index, post in
            PostOrderKey(date: post.sortDate.timeIntervalSince1970, views: post.views, comments: commentCount(post.id),
                         read: isRead(post.id), added: index, activity: activity?(post))
        }
        return keys.indices.sorted { sort.orders(keys[$0], before: keys[$1]) }.map { posts[$0] }
    }

    public func counts(_ filter: PostFilter) throws -> PostCounts {
        read { contents in
            var total = 0
            var unread = 0
            var hidden = 0
            for post in contents.file.posts {
                if contents.matches(post, filter) {
                    total += 1
                    if !contents.state(post.id).read { unread += 1 }
                } else if filter.author == nil, contents.isMuted(post.author),
                          filter.matches(post, state: contents.state(post.id), author: post.author.flatMap { contents.memberIndex[$0] }.map { contents.file.members[$0] }) {
                    hidden += 1
                }
            }
            return PostCounts(total: total, unread: unread, hidden: hidden)
        }
    }

    public func nextUnread(after id: Post.ID?, forward: Bool) throws -> (index: Int, post: PostSummary)? {
        try read { contents in
            let sorted = Self.sort(contents.file.posts, by: .newest, commentCount: contents.commentCount)
            var start = forward ? 0 : sorted.count - 1
            if let id {
                guard let at = sorted.firstIndex(where: { $0.id == id }) else { throw AgoraError.postNotFound(id) }
                start = forward ? at + 1 : at - 1
            }
            let indices = forward ? Array(stride(from: start, to: sorted.count, by: 1)) : Array(stride(from: start, through: 0, by: -1))
            guard let index = indices.first(where: { !contents.state(sorted[$0].id).read && !contents.isMuted(sorted[$0].author) })
            else { return nil }
            // Its place in the list, which has no muted members' posts.
            let place = sorted[..<index].filter { !contents.isMuted($0.author) }.count
            return (place, contents.summary(sorted[index]))
        }
    }

    public func post(_ id: Post.ID) throws -> PostDetail {
        try read { contents in
            guard let index = contents.postIndex[id] else { throw AgoraError.postNotFound(id) }
            let post = contents.file.posts[index]
            let comments = (contents.commentsByPost[id] ?? []).map { contents.file.comments[$0] }
                .enumerated()
                .sorted { ($0.element.published ?? .distantPast, $0.offset) < ($1.element.published ?? .distantPast, $1.offset) }
                .map { contents.commentItem($0.element) }
            let author = post.author.flatMap { contents.memberIndex[$0] }.map { contents.file.members[$0] }
            let muted = Set(comments.compactMap(\.comment.author).filter { contents.isMuted($0) })
            return PostDetail(post: post, state: contents.state(id), commentCount: comments.count, author: author,
                              comments: CommentThreads.ordered(comments), mutedAuthors: muted,
                              source: post.source.flatMap { id in contents.file.sources.first { $0.id == id } })
        }
    }

    // MARK: - Members

    public func members(_ query: MemberQuery) throws -> [MemberSummary] {
        read { contents in
            let counts = contents.postCounts
            let members = Self.filtered(contents.file.members, query)
            let keyed = members.map { (member: $0, name: Folding.key($0.name), country: $0.country.map(Folding.key)) }
            let sorted: [(member: Member, name: String, country: String?)]
            switch query.sort {
            case .name:
                sorted = keyed.sorted { ($0.name, $0.member.id.rawValue) < ($1.name, $1.member.id.rawValue) }
            case .country:
                sorted = keyed.sorted {
                    ($0.country == nil ? 1 : 0, $0.country ?? "", $0.name, $0.member.id.rawValue)
                        < ($1.country == nil ? 1 : 0, $1.country ?? "", $1.name, $1.member.id.rawValue)
                }
            case .posts:
                sorted = keyed.sorted {
                    (-(counts[$0.member.id] ?? 0), $0.name, $0.member.id.rawValue) < (-(counts[$1.member.id] ?? 0), $1.name, $1.member.id.rawValue)
                }
            }
            return sorted.dropFirst(query.offset).prefix(query.limit).map { contents.memberSummary($0.member, postCounts: counts) }
        }
    }

    public func memberCount(_ query: MemberQuery) throws -> Int {
        read { Self.filtered($0.file.members, query).count }
    }

    /// The members a roster query's country and name leave.
    private static func filtered(_ members: [Member], _ query: MemberQuery) -> [Member] {
        var members = members
        if let country = query.country { members = members.filter(CountryRule(country).matches) }
        if let name = query.name { members = members.filter { SearchQuery.nameMatches(SearchText.fold(name), $0.name) } }
        return members
    }

    public func memberCountries() throws -> [String: Int] {
        read { contents in
            var byKey: [String: (name: String, count: Int)] = [:]
            for member in contents.file.members {
                guard let country = member.country else { continue }
                let key = Folding.key(country)
                let name = byKey[key].map { min($0.name, country) } ?? country
                byKey[key] = (name, (byKey[key]?.count ?? 0) + 1)
            }
            return Dictionary(uniqueKeysWithValues: byKey.values.map { ($0.name, $0.count) })
        }
    }

    public func member(_ id: Member.ID, limit: Int) throws -> MemberProfile {
        try read { contents in
            guard let index = contents.memberIndex[id] else { throw AgoraError.memberNotFound(id) }
            let posts = Self.sort(contents.file.posts.filter { $0.author == id }, by: .newest, commentCount: contents.commentCount)
            let comments = contents.file.comments.enumerated().filter { $0.element.author == id }
                .sorted { ($0.element.published ?? .distantPast, $0.offset) > ($1.element.published ?? .distantPast, $1.offset) }
                .map(\.element)
            return MemberProfile(
                member: contents.file.members[index], postCount: posts.count, commentCount: comments.count,
                posts: posts.prefix(limit).map(contents.summary),
                comments: comments.prefix(limit).map { contents.commentItem($0, withTitle: true) }, muted: contents.isMuted(id))
        }
    }
}
