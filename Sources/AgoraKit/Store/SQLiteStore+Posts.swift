import Foundation
import GRDB

/// Windows of posts, their counts, the next unread post and one post whole.
extension SQLiteStore {
    // MARK: - Posts

    public func posts(_ query: PostQuery) throws -> [PostSummary] {
        var builder = SQLitePostQuery(filter: query.filter)
        return try read { db in
            builder.hideMuted = try SQLitePostQuery.anyMuted(db)
            let rowids = try builder.windowRowIDs(db, sort: query.sort, offset: query.offset, limit: query.limit)
            return try SQLitePostQuery.summaries(db, rowids: rowids)
        }
    }

    public func counts(_ filter: PostFilter) throws -> PostCounts {
        var unreadFilter = filter
        unreadFilter.unreadOnly = true
        var all = SQLitePostQuery(filter: filter)
        var unread = SQLitePostQuery(filter: unreadFilter)
        return try read { db in
            all.hideMuted = try SQLitePostQuery.anyMuted(db)
            unread.hideMuted = all.hideMuted
            // Lists with no content filter are answered from the kept totals, without counting.
            return PostCounts(total: try all.knownCount(db) ?? all.count(db), unread: try unread.knownCount(db) ?? unread.count(db),
                              hidden: try all.hiddenCount(db))
        }
    }

    public func nextUnread(after id: Post.ID?, forward: Bool) throws -> (index: Int, post: PostSummary)? {
        try read { db in
            // Straight from the partial index of unread posts, in date order.
            let muted = try SQLitePostQuery.anyMuted(db)
            var sql = muted
                ? "SELECT s.post, s.sortDate FROM postState s JOIN post p ON p.rowid = s.post WHERE s.isRead = 0 AND \(SQLitePostQuery.notMuted())"
                : "SELECT s.post, s.sortDate FROM postState s WHERE s.isRead = 0"
            var arguments: StatementArguments = []
            if let id {
                guard let row = try Row.fetchOne(db, sql: "SELECT rowid, sortDate FROM post WHERE id = ?", arguments: [id.rawValue])
                else { throw AgoraError.postNotFound(id) }
                sql += forward ? " AND (s.sortDate, s.post) < (?, ?)" : " AND (s.sortDate, s.post) > (?, ?)"
                arguments = [(try row.decode(Double.self, forColumn: "sortDate")), (try row.decode(Int64.self, forColumn: "rowid"))]
            }
            sql += forward ? " ORDER BY s.sortDate DESC, s.post DESC LIMIT 1" : " ORDER BY s.sortDate ASC, s.post ASC LIMIT 1"
            guard let hit = try Row.fetchOne(db, sql: sql, arguments: arguments) else { return nil }
            let rowid: Int64 = try hit.decode(forColumn: "post")
            let date: Double = try hit.decode(forColumn: "sortDate")
            // Its place in the list: the posts that come before it, newest first.
            let index = try Int.fetchOne(db, sql: "SELECT count(*) FROM post p WHERE (p.sortDate, p.rowid) > (?, ?)"
                                            + (muted ? " AND \(SQLitePostQuery.notMuted())" : ""),
                                         arguments: [date, rowid]) ?? 0
            guard let summary = try SQLitePostQuery.summaries(db, rowids: [rowid]).first else { return nil }
            return (index, summary)
        }
    }

    public func post(_ id: Post.ID) throws -> PostDetail {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT \(SQLiteRows.postColumns), \(SQLiteRows.stateColumns), p.commentCount AS commentCount
                FROM post p JOIN postState s ON s.post = p.rowid LEFT JOIN postBody b ON b.post = p.rowid
                WHERE p.id = ?
                """, arguments: [id.rawValue])
            else { throw AgoraError.postNotFound(id) }
            let post = try SQLiteRows.post(row)
            let state = try SQLiteRows.state(row, at: SQLiteRows.PostColumn.count)
            let commentCount: Int = try row.decode(forColumn: "commentCount")
            let author = try post.author.flatMap { try Self.fetchMember(db, id: $0) }
            let comments = try Row.fetchAll(db, sql: """
                SELECT \(SQLiteRows.commentColumns), \(SQLiteRows.memberName("c.author")) AS memberName
                FROM comment c WHERE c.post = ? ORDER BY c.sortDate, c.rowid
                """, arguments: [id.rawValue]).map { row in
                    // Each author by the member's name; the source's name where no member matches.
                    var item = try SQLiteRows.commentItem(row)
                    if let name = (try row.decode(String?.self, forColumn: "memberName")) { item.comment.authorName = name }
                    return item
                }
            let mutedIDs: [String] = try String.fetchAll(db, sql: "SELECT member FROM muted")
            let muted = Set(mutedIDs.map { Member.ID($0) })
            let commenters = Set(comments.compactMap { $0.comment.author })
            let source = try post.source.flatMap {
                try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.sourceColumns) FROM source WHERE id = ?", arguments: [$0.rawValue])
            }.map { try SQLiteRows.source($0) }
            return PostDetail(post: post, state: state, commentCount: commentCount, author: author,
                              comments: CommentThreads.ordered(comments), mutedAuthors: muted.intersection(commenters), source: source)
        }
    }
}
