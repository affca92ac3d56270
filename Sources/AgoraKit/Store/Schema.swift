import GRDB

/// The SQLite cache's schema: named migrations, and the version number a file carries
/// (`PRAGMA user_version`) so that an older Agora refuses a newer file instead of misreading it.
enum Schema {
    /// The newest schema this build writes and reads.
    static let version = 9

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        // Comments on members' profiles (Ning's comment walls), as JSON: they are on no post.
        // When a server asked a source's sync to wait (Retry-After).
        // The search indexes get leaf pages that fill 8 KiB pages and a 16 MiB buffer of terms
        // before each flush: a 100,000-post import then merges far fewer small segments.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE member ADD COLUMN wall TEXT")
            try db.execute(sql: "ALTER TABLE source ADD COLUMN retryAfter REAL")
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            for table in ["postSearch", "commentSearch", "memberSearch"] {
                try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('pgsz', \(pageSize >= 8192 ? 8000 : 4050))")
                try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('hashsize', 16777216)")
            }
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        // The search indexes hold text folded as search folds queries (SearchText): "strasse"
        // finds Straße, "kilic" Kılıç, and each CJK character is a word. They also keep indexes
        // of 2- and 3-letter prefixes, so that a word being typed is one lookup, not a merge of
        // every word it begins. Made again and filled from the posts, comments and members.
        migrator.registerMigration("v3") { db in
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            for (table, columns, contentless) in [("postSearch", "title, body", true), ("commentSearch", "body", true),
                                                  ("memberSearch", "name, country, location", false)] {
                try db.execute(sql: "DROP TABLE \(table)")
                try db.execute(sql: """
                    CREATE VIRTUAL TABLE \(table) USING fts5(\(columns), \(contentless ? "content = '', " : "")\(tokenizer), prefix = '2 3')
                    """)
                try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('pgsz', \(pageSize >= 8192 ? 8000 : 4050))")
                try db.execute(sql: "INSERT INTO \(table) (\(table), rank) VALUES ('hashsize', 16777216)")
            }
            // Every word in the indexes, for the words a typed prefix begins.
            try db.execute(sql: "CREATE TABLE searchTerm (term TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID")
            try reindexSearch(db)
            // Comments by the members a search names (author:, country:), newest first.
            try db.execute(sql: "CREATE INDEX comment_by_date ON comment(sortDate)")
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        // Forums: a topic's likes, a reply's own address, and a forum source's options; a feed's key and how far its sync got (JSON).
        migrator.registerMigration("v4") { db in
            try db.execute(sql: "ALTER TABLE post ADD COLUMN likes INTEGER")
            try db.execute(sql: "ALTER TABLE source ADD COLUMN forum TEXT")
            try db.execute(sql: "ALTER TABLE comment ADD COLUMN link TEXT")
            try db.execute(sql: "ALTER TABLE source ADD COLUMN feedKey TEXT")
            // Comments by day (UTC), kept on every write, for the community's statistics.
            try db.execute(sql: "CREATE TABLE commentDay (day INTEGER PRIMARY KEY, comments INTEGER NOT NULL) WITHOUT ROWID")
            try db.execute(sql: """
                INSERT INTO commentDay (day, comments)
                SELECT CAST(published / 86400 AS INTEGER), count(*) FROM comment WHERE published > 0 GROUP BY 1
                """)
            // Feeds read before keep the key their location gave their ids, so nothing doubles.
            let feeds = try Row.fetchAll(db, sql: "SELECT id, location FROM source WHERE kind = 'feed'")
            for feed in feeds {
                let location: String? = feed["location"]
                try db.execute(sql: "UPDATE source SET feedKey = ? WHERE id = ?",
                               arguments: [Source.key(forLocation: location ?? ""), (try feed.decode(String.self, forColumn: "id"))])
            }
            try db.execute(sql: "PRAGMA user_version = 4")
        }
        // Each member's comments counted on write, as their posts are (agora stats and the
        // at-a-glance screen rank commenters from it, not from 300,000 comments).
        migrator.registerMigration("v5") { db in
            try db.execute(sql: "ALTER TABLE member ADD COLUMN commentCount INTEGER NOT NULL DEFAULT 0")
            try db.execute(sql: """
                UPDATE member SET commentCount = (SELECT count(*) FROM comment WHERE comment.author = member.id)
                """)
            // The statistics' lists read these, not every member: countries with the spelling
            // they show, the top posters and commenters, the newest members.
            try db.execute(sql: "CREATE INDEX member_by_country_spelling ON member(countryKey, country)")
            try db.execute(sql: "CREATE INDEX member_by_post_count ON member(postCount DESC, id)")
            try db.execute(sql: "CREATE INDEX member_by_comment_count ON member(commentCount DESC, id)")
            try db.execute(sql: "CREATE INDEX member_by_joined ON member(joined DESC, id)")
            // Members the reader muted: reader state, like read marks.
            try db.execute(sql: "CREATE TABLE muted (member TEXT PRIMARY KEY, since REAL NOT NULL) WITHOUT ROWID")
            try db.execute(sql: "PRAGMA user_version = 5")
        }
        // Sources in the reader: posts by source and category, and each pair's posts, unread
        // posts and new replies kept in `sourceTotal` (the sources screen reads 50 rows, not
        // 100,000). Imports count again the pairs they touched; a change of read state is
        // counted by triggers, whichever write made it. A post's new replies (unread replies of
        // a post already read: what came in on a forum topic since it was read) are kept in
        // `postState.newReplies`, and its latest activity (its date or its latest reply's) in
        // `post.lastActivity` for the order by activity. Reading a post reads its replies: the
        // replies of posts read before this are read.
        migrator.registerMigration("v6") { db in
            try db.execute(sql: v6)
            try db.execute(sql: """
                UPDATE post SET lastActivity = max(sortDate, coalesce((SELECT max(c.sortDate) FROM comment c WHERE c.post = post.id), 0));
                UPDATE comment SET isRead = 1,
                    readAt = coalesce(readAt, (SELECT s.readAt FROM post p JOIN postState s ON s.post = p.rowid WHERE p.id = comment.post))
                WHERE isRead = 0 AND post IN (SELECT p.id FROM post p JOIN postState s ON s.post = p.rowid WHERE s.isRead = 1);
                """)
            try db.execute(sql: "INSERT INTO sourceTotal (source, category, posts, unread, newReplies) \(sourceTotalsSelect)")
            try db.execute(sql: "PRAGMA user_version = 6")
        }
        // A source's last sync as values (JSON), for the sources screen to say briefly; a
        // mailing list archive's months read (JSON).
        migrator.registerMigration("v7") { db in
            try db.execute(sql: "ALTER TABLE source ADD COLUMN lastResult TEXT")
            try db.execute(sql: "ALTER TABLE source ADD COLUMN list TEXT")
            try db.execute(sql: "PRAGMA user_version = 7")
        }
        // The search index may follow the content: posts and comments up to these rowids are in
        // it, those after are not yet (an import commits its content first, then indexes it in
        // steps that readers can see between). Everything before this schema is indexed.
        // Committed a step at a time, FTS5 would merge its segments four at a level: eight at a
        // level merges less often (100,000 feed items: the index 0.4 - 0.5 s sooner) and
        // searches as fast (docs/benchmarks.md).
        migrator.registerMigration("v8") { db in
            try db.execute(sql: """
                CREATE TABLE searchIndexed (what TEXT PRIMARY KEY NOT NULL, upTo INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO searchIndexed (what, upTo) VALUES ('post', coalesce((SELECT max(rowid) FROM post), 0)),
                    ('comment', coalesce((SELECT max(rowid) FROM comment), 0));
                INSERT INTO postSearch (postSearch, rank) VALUES ('automerge', 8);
                INSERT INTO commentSearch (commentSearch, rank) VALUES ('automerge', 8);
                PRAGMA user_version = 8;
                """)
        }
        // The reader's first frame names the authors of a screenful of posts and lists a
        // screenful of the roster: each was a member row read from its own page (with 20,000
        // members, 150 of the 196 pages the first frame read, 1.2 MiB of its memory). Indexes that
        // hold what those ask for answer them from a few pages of their own.
        migrator.registerMigration("v9") { db in
            try db.execute(sql: """
                DROP INDEX member_by_name;
                CREATE INDEX member_by_name ON member(nameKey, id, name, country, countryCode, role, postCount);
                CREATE INDEX member_name_by_id ON member(id, name);
                PRAGMA user_version = 9;
                """)
        }
        return migrator
    }

    /// Each pair of source and category with its posts and unread posts, counted from the rows
    /// ('' for a post with no source or no category).
    static let sourceTotalsSelect = """
        SELECT coalesce(p.source, ''), coalesce(p.category, ''), count(*), sum(s.isRead = 0), sum(s.newReplies)
        FROM post p JOIN postState s ON s.post = p.rowid GROUP BY 1, 2
        """

    /// `postState.newReplies` counted again from the comments: a read post's replies not read
    /// yet, 0 for a post not read (every write that changes them says it this way).
    static let newRepliesCounted = """
        newReplies = CASE WHEN isRead
            THEN (SELECT count(*) FROM comment c WHERE c.post = (SELECT id FROM post WHERE rowid = postState.post) AND c.isRead = 0)
            ELSE 0 END
        """

    private static let v6 = """
        CREATE INDEX post_by_source ON post(source, category, sortDate);
        ALTER TABLE source ADD COLUMN site TEXT;
        ALTER TABLE source ADD COLUMN folder TEXT;
        ALTER TABLE post ADD COLUMN lastActivity REAL NOT NULL DEFAULT 0;
        CREATE INDEX post_by_activity ON post(lastActivity);
        ALTER TABLE postState ADD COLUMN newReplies INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX postState_new ON postState(post) WHERE newReplies > 0;
        CREATE INDEX comment_unread ON comment(post) WHERE isRead = 0;
        CREATE TABLE sourceTotal (
            source TEXT NOT NULL,
            category TEXT NOT NULL,
            posts INTEGER NOT NULL,
            unread INTEGER NOT NULL,
            newReplies INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (source, category)
        ) WITHOUT ROWID;
        CREATE TRIGGER postState_new_counted AFTER UPDATE OF newReplies ON postState WHEN old.newReplies != new.newReplies
        BEGIN
            UPDATE sourceTotal SET newReplies = newReplies + new.newReplies - old.newReplies
            WHERE (source, category) = (SELECT coalesce(source, ''), coalesce(category, '') FROM post WHERE rowid = new.post);
        END;
        CREATE TRIGGER postState_read_counted AFTER UPDATE OF isRead ON postState WHEN old.isRead != new.isRead
        BEGIN
            UPDATE sourceTotal SET unread = unread + (CASE WHEN new.isRead THEN -1 ELSE 1 END)
            WHERE (source, category) = (SELECT coalesce(source, ''), coalesce(category, '') FROM post WHERE rowid = new.post);
        END;
        """

    static func reindexSearch(_ db: Database) throws {
        var terms = TermCollector()
        let insertPost = try db.makeStatement(sql: "INSERT INTO postSearch (rowid, title, body) VALUES (?, ?, ?)")
        let posts = try Row.fetchCursor(db, sql: "SELECT p.rowid AS rowid, p.title AS title, b.html AS html FROM post p JOIN postBody b ON b.post = p.rowid")
        while let row = try posts.next() {
            let title = SearchText.forIndex((try row.decode(String.self, forColumn: "title"))), body = SearchText.forIndex(PlainText.fromHTML((try row.decode(String.self, forColumn: "html"))))
            terms.add(title)
            terms.add(body)
            try insertPost.execute(arguments: [(try row.decode(Int64.self, forColumn: "rowid")), title, body])
        }
        let insertComment = try db.makeStatement(sql: "INSERT INTO commentSearch (rowid, body) VALUES (?, ?)")
        let comments = try Row.fetchCursor(db, sql: "SELECT rowid, body FROM comment")
        while let row = try comments.next() {
            let body = SearchText.forIndex(PlainText.fromHTML((try row.decode(String.self, forColumn: "body"))))
            terms.add(body)
            try insertComment.execute(arguments: [(try row.decode(Int64.self, forColumn: "rowid")), body])
        }
        let insertMember = try db.makeStatement(sql: "INSERT INTO memberSearch (rowid, name, country, location) VALUES (?, ?, ?, ?)")
        let members = try Row.fetchCursor(db, sql: "SELECT rowid, name, country, location FROM member")
        while let row = try members.next() {
            let texts = [(try row.decode(String?.self, forColumn: "name")), (try row.decode(String?.self, forColumn: "country")), (try row.decode(String?.self, forColumn: "location"))].map { $0.map(SearchText.forIndex) }
            for text in texts.compactMap({ $0 }) { terms.add(text) }
            try insertMember.execute(arguments: [(try row.decode(Int64.self, forColumn: "rowid")), texts[0], texts[1], texts[2]])
        }
        let insertTerm = try db.makeStatement(sql: "INSERT OR IGNORE INTO searchTerm (term) VALUES (?)")
        for term in terms.found { try insertTerm.execute(arguments: [term]) }
    }

    /// Reader state lives in `postState`, one narrow row per post keyed by the post's rowid:
    /// imports never write it, and marking 100,000 posts read rewrites a few megabytes rather
    /// than every post row. It carries a copy of `sortDate` so that the unread and starred lists
    /// read a partial index in date order. `totals` keeps the whole-cache counts that the
    /// status line asks for on every change (posts, unread, starred; members and comments too); every write that changes them adjusts them in the
    /// same transaction. Bodies live in `postBody`, out of the rows that lists read. The post and
    /// comment search tables are contentless: the text is in the bodies already.
    private static let tokenizer = "tokenize = \"unicode61 remove_diacritics 2\""

    private static let v1 = """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        );
        CREATE TABLE source (
            id TEXT PRIMARY KEY NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            location TEXT,
            etag TEXT,
            lastModified TEXT,
            lastSync REAL,
            lastStatus TEXT
        );
        CREATE TABLE member (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            nameKey TEXT NOT NULL,
            country TEXT,
            countryCode TEXT,
            countryKey TEXT,
            location TEXT,
            joined REAL,
            role TEXT NOT NULL,
            state TEXT NOT NULL,
            bio TEXT,
            profile TEXT,
            avatarPath TEXT,
            postCount INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX member_by_name ON member(nameKey, id);
        CREATE INDEX member_by_country ON member(countryKey, nameKey);
        CREATE INDEX member_by_country_code ON member(countryCode);

        CREATE TABLE post (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            source TEXT,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            author TEXT,
            authorName TEXT,
            published REAL,
            updated REAL,
            sortDate REAL NOT NULL,
            category TEXT,
            tags TEXT NOT NULL DEFAULT '',
            views INTEGER,
            link TEXT,
            commentCount INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX post_by_date ON post(sortDate);
        CREATE INDEX post_by_views ON post(views, sortDate);
        CREATE INDEX post_by_comments ON post(commentCount, sortDate);
        CREATE INDEX post_by_author ON post(author, sortDate);
        CREATE INDEX post_by_kind ON post(kind, sortDate);

        CREATE TABLE postState (
            post INTEGER PRIMARY KEY REFERENCES post(rowid) ON DELETE CASCADE,
            sortDate REAL NOT NULL,
            isRead INTEGER NOT NULL DEFAULT 0,
            readAt REAL,
            isStarred INTEGER NOT NULL DEFAULT 0,
            readBatch INTEGER
        );
        CREATE INDEX postState_unread ON postState(sortDate) WHERE isRead = 0;
        CREATE INDEX postState_starred ON postState(sortDate) WHERE isStarred = 1;

        CREATE TABLE totals (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            total INTEGER NOT NULL,
            unread INTEGER NOT NULL,
            starred INTEGER NOT NULL,
            members INTEGER NOT NULL,
            comments INTEGER NOT NULL
        );
        INSERT INTO totals (id, total, unread, starred, members, comments) VALUES (1, 0, 0, 0, 0, 0);

        CREATE TABLE postBody (
            post INTEGER PRIMARY KEY REFERENCES post(rowid) ON DELETE CASCADE,
            html TEXT NOT NULL
        );
        CREATE TABLE postTag (
            tagKey TEXT NOT NULL,
            post INTEGER NOT NULL REFERENCES post(rowid) ON DELETE CASCADE,
            PRIMARY KEY (tagKey, post)
        ) WITHOUT ROWID;
        CREATE INDEX postTag_by_post ON postTag(post);

        CREATE TABLE comment (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            post TEXT NOT NULL REFERENCES post(id) ON DELETE CASCADE,
            parent TEXT,
            author TEXT,
            authorName TEXT,
            published REAL,
            sortDate REAL NOT NULL,
            body TEXT NOT NULL,
            isRead INTEGER NOT NULL DEFAULT 0,
            readAt REAL
        );
        CREATE INDEX comment_by_post ON comment(post, sortDate);
        CREATE INDEX comment_by_author ON comment(author, sortDate);

        CREATE TABLE journal (
            token INTEGER PRIMARY KEY,
            action TEXT NOT NULL,
            date REAL NOT NULL,
            scope TEXT NOT NULL,
            count INTEGER NOT NULL,
            undone INTEGER NOT NULL DEFAULT 0
        );

        CREATE VIRTUAL TABLE postSearch USING fts5(title, body, content = '', \(tokenizer));
        CREATE VIRTUAL TABLE commentSearch USING fts5(body, content = '', \(tokenizer));
        CREATE VIRTUAL TABLE memberSearch USING fts5(name, country, location, \(tokenizer));
        """
}
