import Foundation
import GRDB

/// Reader state: read and starred marks, mark-all-read and its journal, muted members.
extension SQLiteStore {
    // MARK: - Reader state

    public func setRead(_ read: Bool, posts ids: [Post.ID]) throws {
        let now = clock().timeIntervalSince1970
        try write { db in
            var change = 0
            for id in ids {
                let (rowid, state) = try Self.state(db, id)
                try db.execute(sql: """
                    UPDATE postState SET isRead = ?, readAt = CASE WHEN ? THEN coalesce(readAt, ?) END, readBatch = NULL, newReplies = 0
                    WHERE post = ?
                    """, arguments: [read, read, now, rowid])
                // Reading a post reads its replies; marking it unread leaves them as they are.
                if read {
                    try db.cachedStatement(sql: "UPDATE comment SET isRead = 1, readAt = coalesce(readAt, ?) WHERE post = ? AND isRead = 0")
                        .execute(arguments: [now, id.rawValue])
                }
                if state.read != read { change += read ? -1 : 1 }
            }
            try db.execute(sql: "UPDATE totals SET unread = unread + ? WHERE id = 1", arguments: [change])
        }
    }

    /// A post's rowid and reader state; an unknown id is an error.
    private static func state(_ db: Database, _ id: Post.ID) throws -> (Int64, PostState) {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(SQLiteRows.stateColumns), p.rowid AS rowid FROM post p JOIN postState s ON s.post = p.rowid WHERE p.id = ?
            """), arguments: [id.rawValue])
        else { throw AgoraError.postNotFound(id) }
        return (try row.decode(forColumn: "rowid"), try SQLiteRows.state(row, at: 0))
    }

    public func setRead(_ read: Bool, comments ids: [Comment.ID]) throws {
        let now = clock().timeIntervalSince1970
        try write { db in
            for id in ids {
                try db.execute(sql: """
                    UPDATE comment SET isRead = ?, readAt = CASE WHEN ? THEN coalesce(readAt, ?) END WHERE id = ?
                    """, arguments: [read, read, now, id.rawValue])
                if db.changesCount == 0 { throw AgoraError.commentNotFound(id) }
            }
            // The new replies of their posts, counted again.
            try db.execute(sql: """
                UPDATE postState SET \(Schema.newRepliesCounted)
                WHERE post IN (SELECT p.rowid FROM post p WHERE p.id IN (SELECT post FROM comment WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ",")))))
                """, arguments: StatementArguments(ids.map(\.rawValue)))
        }
    }

    public func setStarred(_ starred: Bool, posts ids: [Post.ID]) throws {
        try write { db in
            var change = 0
            for id in ids {
                let (rowid, state) = try Self.state(db, id)
                try db.execute(sql: "UPDATE postState SET isStarred = ? WHERE post = ?", arguments: [starred, rowid])
                if state.starred != starred { change += starred ? 1 : -1 }
            }
            try db.execute(sql: "UPDATE totals SET starred = starred + ? WHERE id = 1", arguments: [change])
        }
    }

    public func markAllRead(_ filter: PostFilter) throws -> JournalEntry {
        let now = clock()
        var unread = filter
        unread.unreadOnly = true
        var query = SQLitePostQuery(filter: unread)
        return try write { db in
            // The posts of muted members are not on the list, so they are not marked.
            query.hideMuted = try SQLitePostQuery.anyMuted(db)
            try db.execute(sql: "INSERT INTO journal (action, date, scope, count) VALUES (?, ?, ?, 0)",
                           arguments: [JournalEntry.Action.markAllRead.rawValue, now.timeIntervalSince1970, filter.summary])
            let token = Int(db.lastInsertedRowID)
            if query.hasContentFilter || query.hideMuted {
                let (whereSQL, arguments) = query.whereClause()
                try db.execute(sql: """
                    UPDATE postState SET isRead = 1, readAt = ?, readBatch = ?
                    WHERE isRead = 0 AND post IN (SELECT p.rowid \(query.fromClause()) \(whereSQL))
                    """, arguments: StatementArguments([now.timeIntervalSince1970, token] + arguments))
            } else if filter.starredOnly {
                try db.execute(sql: "UPDATE postState SET isRead = 1, readAt = ?, readBatch = ? WHERE isRead = 0 AND isStarred = 1",
                               arguments: [now.timeIntervalSince1970, token])
            } else {
                try db.execute(sql: "UPDATE postState SET isRead = 1, readAt = ?, readBatch = ? WHERE isRead = 0",
                               arguments: [now.timeIntervalSince1970, token])
            }
            let count = db.changesCount
            // Their replies are read with them, and the new replies of posts read before are
            // seen: all caught up.
            try db.execute(sql: """
                UPDATE comment SET isRead = 1, readAt = coalesce(readAt, ?)
                WHERE isRead = 0 AND post IN (SELECT p.id FROM postState s JOIN post p ON p.rowid = s.post WHERE s.readBatch = ?)
                """, arguments: [now.timeIntervalSince1970, token])
            var caughtUp = query
            caughtUp.filter.unreadOnly = false
            let (newWhere, newArguments) = caughtUp.whereClause()
            let withNew = "SELECT p.rowid FROM postState s JOIN post p ON p.rowid = s.post \(newWhere.isEmpty ? "WHERE" : newWhere + " AND") s.newReplies > 0"
            try db.execute(sql: """
                UPDATE comment SET isRead = 1, readAt = coalesce(readAt, ?)
                WHERE isRead = 0 AND post IN (SELECT id FROM post WHERE rowid IN (\(withNew)))
                """, arguments: StatementArguments([now.timeIntervalSince1970] + newArguments))
            try db.execute(sql: "UPDATE postState SET newReplies = 0 WHERE newReplies > 0 AND post IN (\(withNew))",
                           arguments: StatementArguments(newArguments))
            guard count > 0 else {
                // Nothing changed: nothing to undo, so nothing to journal.
                try db.execute(sql: "DELETE FROM journal WHERE token = ?", arguments: [token])
                return JournalEntry(token: 0, action: .markAllRead, date: now, scope: filter.summary, count: 0)
            }
            try db.execute(sql: "UPDATE journal SET count = ? WHERE token = ?", arguments: [count, token])
            try db.execute(sql: "UPDATE totals SET unread = unread - ? WHERE id = 1", arguments: [count])
            return JournalEntry(token: token, action: .markAllRead, date: now, scope: filter.summary, count: count)
        }
    }

    public func undo(_ token: JournalEntry.Token?) throws -> UndoResult {
        try write { db in
            let row: Row?
            if let token {
                row = try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.journalColumns) FROM journal WHERE token = ?", arguments: [token])
            } else {
                row = try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.journalColumns) FROM journal WHERE undone = 0 ORDER BY token DESC LIMIT 1")
            }
            guard let row else { throw AgoraError.nothingToUndo }
            var entry = try SQLiteRows.journalEntry(row)
            guard !entry.undone else {
                throw AgoraError.invalidArgument("change \(entry.token) was already undone")
            }
            try db.execute(sql: "UPDATE postState SET isRead = 0, readAt = NULL, readBatch = NULL WHERE readBatch = ?",
                           arguments: [entry.token])
            let restored = db.changesCount
            try db.execute(sql: "UPDATE totals SET unread = unread + ? WHERE id = 1", arguments: [restored])
            try db.execute(sql: "UPDATE journal SET undone = 1 WHERE token = ?", arguments: [entry.token])
            entry.undone = true
            return UndoResult(entry: entry, restored: restored)
        }
    }


    public func journal() throws -> [JournalEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(SQLiteRows.journalColumns) FROM journal ORDER BY token DESC LIMIT 100")
                .map { try SQLiteRows.journalEntry($0) }
        }
    }

    // MARK: - Muted members

    public func mutedMembers() throws -> [Member.ID: Date] {
        try read { db in
            var out: [Member.ID: Date] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT member, since FROM muted") {
                out[Member.ID((try row.decode(String.self, forColumn: "member")))] = Date(timeIntervalSince1970: try row.decode(forColumn: "since"))
            }
            return out
        }
    }

    public func setMuted(_ muted: Bool, member: Member.ID) throws {
        let now = clock().timeIntervalSince1970
        try write { db in
            guard muted else {
                try db.execute(sql: "DELETE FROM muted WHERE member = ?", arguments: [member.rawValue])
                return
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM member WHERE id = ?", arguments: [member.rawValue]) == true else {
                throw AgoraError.memberNotFound(member)
            }
            try db.execute(sql: "INSERT OR IGNORE INTO muted (member, since) VALUES (?, ?)", arguments: [member.rawValue, now])
        }
    }
}
