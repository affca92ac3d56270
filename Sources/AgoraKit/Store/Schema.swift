import GRDB

/// The SQLite cache's schema: named migrations, and the version number a file carries
/// (`PRAGMA user_version`) so that an older Agora refuses a newer file instead of misreading it.
enum Schema {
    /// The newest schema this build writes and reads.
    static let version = 1

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        return migrator
    }

    /// Reader state sits in its own columns of `post` and `comment` (isRead, readAt, isStarred,
    /// readBatch): imports write only content columns, so state survives any re-import, and the
    /// unread list and count read an index instead of joining a second table. Bodies live in
    /// `postBody`, out of the rows that lists and counts read.
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
            commentCount INTEGER NOT NULL DEFAULT 0,
            isRead INTEGER NOT NULL DEFAULT 0,
            readAt REAL,
            isStarred INTEGER NOT NULL DEFAULT 0,
            readBatch INTEGER
        );
        CREATE INDEX post_by_date ON post(sortDate);
        CREATE INDEX post_by_views ON post(views, sortDate);
        CREATE INDEX post_by_comments ON post(commentCount, sortDate);
        CREATE INDEX post_unread_by_date ON post(isRead, sortDate);
        CREATE INDEX post_starred_by_date ON post(sortDate) WHERE isStarred = 1;
        CREATE INDEX post_by_author ON post(author, sortDate);
        CREATE INDEX post_by_kind ON post(kind, sortDate);
        CREATE INDEX post_by_batch ON post(readBatch) WHERE readBatch IS NOT NULL;

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

        CREATE VIRTUAL TABLE postSearch USING fts5(title, body, \(tokenizer));
        CREATE VIRTUAL TABLE commentSearch USING fts5(body, \(tokenizer));
        CREATE VIRTUAL TABLE memberSearch USING fts5(name, country, location, \(tokenizer));
        """
}
