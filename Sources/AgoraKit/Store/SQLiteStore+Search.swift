import Foundation
import GRDB

/// Search: the planner that reads the indexes, and the windows of matches.
extension SQLiteStore {
    // MARK: - Search

    public func search(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int, offset: Int) throws -> SearchResults {
        try search(query, kinds: kinds, limit: limit, offset: offset, countsLater: false)
    }

    public func quickSearch(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int, offset: Int) throws -> SearchResults {
        try search(query, kinds: kinds, limit: limit, offset: offset, countsLater: true)
    }

    private func search(_ query: SearchQuery, kinds: Set<SearchKind>, limit: Int, offset: Int, countsLater: Bool) throws -> SearchResults {
        var results = SearchResults(problems: query.problems)
        guard !query.isEmpty else { return results }
        return try read { db in
            let indexing = try SearchIndexing.progress(db)
            if !indexing.isComplete { results.indexing = indexing }
            /// How many rows a FROM and WHERE give, counted up to the cap and no further.
            func count(_ from: String, _ terms: [String], _ arguments: [(any DatabaseValueConvertible)?],
                       upTo cap: Int = SearchResults.countCap) throws -> Int {
                try Int.fetchOne(db, sql: """
                    SELECT count(*) FROM (SELECT 1 FROM \(from) WHERE \(terms.isEmpty ? "1" : terms.joined(separator: " AND ")) LIMIT \(cap))
                    """, arguments: StatementArguments(arguments)) ?? 0
            }
            /// Matches of words alone newest first: few (under the count's cap) are read and
            /// sorted; some (under `dense`) are gathered into a set that the rows, newest first,
            /// are checked against; many are asked of each row in turn, which fills the window
            /// within a few hundred rows. Returns the FROM and WHERE to use, and the count.
            func wordsAlone(table: String, search: String, alias: String, from: String, terms: [String],
                            arguments: [(any DatabaseValueConvertible)?]) throws -> (from: String, terms: [String], total: Int) {
                let dense = 20_000
                let found = try count(search, [terms[0]], [arguments[0]], upTo: dense)
                let total = min(found, SearchResults.countCap)
                if found < SearchResults.countCap { return (from, terms, total) }
                let check = found < dense
                    ? "+\(alias).rowid IN (SELECT rowid FROM \(search) WHERE \(search) MATCH ?)"
                    : "EXISTS (SELECT 1 FROM \(search) WHERE \(search) MATCH ? AND \(search).rowid = \(alias).rowid)"
                return ("\(table) \(alias)", [check] + terms.dropFirst(), total)
            }
            /// Words with filters, newest first and counted to the cap, each way priced by what is
            /// cheap: asking the search index about one row costs about 30 µs, reading its matches
            /// in order about 0.1 µs each, reading a row by rowid about 1 µs.
            /// - few filtered rows (300 or fewer): each is asked whether it has the words;
            /// - few matches of the words (under the cap): each is asked whether it passes the filters;
            /// - otherwise the words' matches are read into a set, and the filtered rows, walked
            ///   newest first, are kept where the set has them, until the window is full and the
            ///   count reaches the cap.
            /// With `countsLater`, words that match a fifth of the table or more are instead asked
            /// of each filtered row, newest first, until the window is full and one more is found:
            /// a few hundred lookups at most, where the set reads every match; the count is then
            /// "at least" and `searchCounts` gives it exactly once the frame is up.
            /// Returns the window's rowids and the count, or nil when the table's rowids are too
            /// many for a set of bits (64 million); the caller then walks in the index's order.
            func wordsAndFilters(search: String, alias: String, table: String, joins: String,
                                 filters: [String], filterArguments: [(any DatabaseValueConvertible)?],
                                 match: String) throws -> (rowids: [Int64], total: Int, atLeast: Bool)? {
                let cap = SearchResults.countCap
                let order = "\(alias).sortDate DESC, \(alias).rowid DESC"
                let filterSQL = filters.joined(separator: " AND ")
                func window(_ all: [Int64]) -> [Int64] { Array(all.dropFirst(offset).prefix(limit)) }
                // So few filtered rows that each is asked for the words.
                let few = 300
                let filtered = try count("\(table) \(alias) \(joins)", filters, filterArguments, upTo: few + 1)
                if filtered <= few {
                    // The few filtered rows first, by the filters' own index, then the words and
                    // the order: asked together, SQLite walked every row by date for the order
                    // and checked the filter on each (no unread comment left: 300,000 rows read).
                    let all = try Int64.fetchAll(db, sql: """
                        SELECT f.rowid FROM (SELECT \(alias).rowid AS rowid, \(alias).sortDate AS sortDate FROM \(table) \(alias) \(joins)
                            WHERE \(filterSQL) LIMIT \(few)) AS f
                        WHERE EXISTS (SELECT 1 FROM \(search) WHERE \(search) MATCH ? AND \(search).rowid = f.rowid)
                        ORDER BY f.sortDate DESC, f.rowid DESC
                        """, arguments: StatementArguments(filterArguments + [match]))
                    return (window(all), all.count, false)
                }
                let matched = try count(search, ["\(search) MATCH ?"], [match], upTo: cap)
                if matched < cap {
                    let all = try Int64.fetchAll(db, sql: """
                        SELECT \(alias).rowid FROM \(search) JOIN \(table) \(alias) ON \(alias).rowid = \(search).rowid \(joins)
                        WHERE \(search) MATCH ? AND \(filterSQL) ORDER BY \(order)
                        """, arguments: StatementArguments([match] + filterArguments))
                    return (window(all), all.count, false)
                }
                let maxRowid = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM \(table)") ?? 0
                let fifth = max(cap, Int(maxRowid / 5))
                if countsLater, try count(search, ["\(search) MATCH ?"], [match], upTo: fifth) >= fifth {
                    let probe = try db.makeStatement(sql: "SELECT 1 FROM \(search) WHERE \(search) MATCH ? AND rowid = ?")
                    var rowids: [Int64] = []
                    var found = 0
                    var asked = 0
                    var ended = true
                    try db.eachRowid("""
                        SELECT \(alias).rowid FROM \(table) \(alias) \(joins) WHERE \(filterSQL) ORDER BY \(order)
                        """, arguments: StatementArguments(filterArguments)) { rowid in
                        asked += 1
                        // Words that turn out rare among these rows: the set is cheaper after all.
                        if asked > 1_500 { ended = false; return false }
                        try probe.setArguments([match, rowid])
                        guard try Int.fetchOne(probe) != nil else { return true }
                        found += 1
                        if found > offset, rowids.count < limit { rowids.append(rowid) }
                        if found > offset + limit { ended = false; return false }
                        return true
                    }
                    if found > offset + limit { return (rowids, found, true) }
                    if ended { return (rowids, found, false) }
                }
                guard maxRowid < 1 << 26 else { return nil }
                var words = RowidSet(maxRowid: maxRowid)
                try db.eachRowid("SELECT rowid FROM \(search) WHERE \(search) MATCH ?", arguments: [match]) { words.insert($0); return true }
                var rowids: [Int64] = []
                var total = 0
                try db.eachRowid("""
                    SELECT \(alias).rowid FROM \(table) \(alias) \(joins) WHERE \(filterSQL) ORDER BY \(order)
                    """, arguments: StatementArguments(filterArguments)) { rowid in
                    guard words.contains(rowid) else { return true }
                    total += 1
                    if total > offset, rowids.count < limit { rowids.append(rowid) }
                    return total < max(cap, offset + limit)
                }
                return (rowids, min(total, cap), false)
            }
            // The word being typed, as the words it begins (from the list of indexed words),
            // when there are not too many of them.
            let match = query.fts { prefix in
                guard let words = try? String.fetchAll(db, sql: "SELECT term FROM searchTerm WHERE term >= ? AND term < ? LIMIT 65",
                                                       arguments: [prefix, prefix + "\u{10FFFF}"]),
                      words.count <= 64 else { return nil }
                return words
            }
            // Posts and comments of muted members are left out.
            let hideMuted = try SQLitePostQuery.anyMuted(db)
            // The members that author: and country: name, as a list of ids.
            var memberIDs: [String]?
            if let author = query.author, let match = SearchQuery.ftsPrefix(author, column: "name") {
                memberIDs = try String.fetchAll(db, sql: """
                    SELECT m.id FROM memberSearch JOIN member m ON m.rowid = memberSearch.rowid WHERE memberSearch MATCH ?
                    """, arguments: [match])
            }
            if let country = query.country {
                let (term, values) = CountryRule(key: country, code: country.uppercased(), extent: .start).sql()
                let fromCountry = try String.fetchAll(db, sql: "SELECT id FROM member WHERE \(term)", arguments: StatementArguments(values))
                memberIDs = memberIDs.map { ids in let keep = Set(fromCountry); return ids.filter(keep.contains) } ?? fromCountry
            }
            let memberList = memberIDs.map { String(decoding: try! JSONEncoder().encode($0), as: UTF8.self) }
            /// Posts or comments by those members. A few members' rows are read from the author index
            /// and sorted; many members' (a country) are read newest first and checked, which
            /// stops at the limit: the + keeps SQLite from choosing the author index for them.
            /// With words the walk goes on to the count's cap, and reading the members' rows from
            /// the index and sorting them costs less than a row lookup for each of the newest posts.
            func authorTerms(_ column: String) -> (String, [(any DatabaseValueConvertible)?]) {
                guard let memberIDs, let memberList else { return ("", []) }
                let plus = memberIDs.count > 300 && match == nil ? "+" : ""
                return ("\(plus)\(column) IN (SELECT value FROM json_each(?))", [memberList])
            }
            /// The rows of one kind that the words and filters find, newest first, with their count
            /// put in `results`: words with filters as `wordsAndFilters` finds them; words alone as
            /// `wordsAlone` plans; filters alone from their indexes.
            func rows(_ kind: SearchKind, table: String, search: String, alias a: String, joins: String,
                      terms given: [String], arguments givenArguments: [(any DatabaseValueConvertible)?]) throws -> [Int64] {
                if let match, !given.isEmpty,
                   let found = try wordsAndFilters(search: search, alias: a, table: table, joins: joins,
                                                   filters: given, filterArguments: givenArguments, match: match) {
                    results.totals[kind] = found.total
                    if found.atLeast { results.atLeast.insert(kind) }
                    return found.rowids
                }
                var terms = given
                var arguments = givenArguments
                var from = "\(table) \(a)"
                var order = "\(a).sortDate DESC, \(a).rowid DESC"
                if let match {
                    from = "\(search) JOIN \(table) \(a) ON \(a).rowid = \(search).rowid"
                    terms.insert("\(search) MATCH ?", at: 0)
                    arguments.insert(match, at: 0)
                }
                var walk = (from: from, terms: terms)
                if match != nil, terms.count == 1, joins.isEmpty {
                    let plan = try wordsAlone(table: table, search: search, alias: a, from: from, terms: terms, arguments: arguments)
                    walk = (plan.from, plan.terms)
                    results.totals[kind] = plan.total
                } else if match != nil {
                    // Words matching more rows than a set of bits holds, with filters: the index's
                    // own order (the order they were added) streams and stops at the window, and
                    // the count goes as far as the window needs ("21+").
                    results.totals[kind] = try count(from + " " + joins, terms, arguments, upTo: offset + limit + 1)
                    if results.totals[kind]! > offset + limit { results.atLeast.insert(kind) }
                    order = "\(search).rowid DESC"
                } else {
                    results.totals[kind] = try count(from + " " + joins, terms, arguments)
                }
                return try Int64.fetchAll(db, sql: """
                    SELECT \(a).rowid FROM \(walk.from) \(joins) WHERE \(walk.terms.joined(separator: " AND ")) ORDER BY \(order) LIMIT ? OFFSET ?
                    """, arguments: StatementArguments(arguments + [limit as (any DatabaseValueConvertible)?, offset]))
            }
            if kinds.contains(.posts) {
                var joins = ""
                var terms: [String] = []
                var arguments: [(any DatabaseValueConvertible)?] = []
                let (authorSQL, authorArguments) = authorTerms("p.author")
                if !authorSQL.isEmpty { terms.append(authorSQL); arguments += authorArguments }
                if let tag = query.tag {
                    // A tag on few posts: those posts. A tag on many (tag:i, while it is typed): each
                    // post, newest first, is checked until enough are found.
                    let tagged = try Int.fetchOne(db, sql: "SELECT count(*) FROM postTag WHERE tagKey >= ? AND tagKey < ?",
                                                  arguments: [tag, tag + "\u{10FFFF}"]) ?? 0
                    terms.append(tagged > 2_000
                        ? "EXISTS (SELECT 1 FROM postTag t WHERE t.post = p.rowid AND t.tagKey >= ? AND t.tagKey < ?)"
                        : "p.rowid IN (SELECT post FROM postTag WHERE tagKey >= ? AND tagKey < ?)")
                    arguments += [tag, tag + "\u{10FFFF}"]
                }
                if let from = query.dateFrom, let to = query.dateTo {
                    terms.append("p.sortDate >= ? AND p.sortDate < ?")
                    arguments += [from, to]
                }
                if hideMuted { terms.append(SQLitePostQuery.notMuted()) }
                if query.unreadOnly || query.starredOnly {
                    joins += " JOIN postState s ON s.post = p.rowid"
                    if query.unreadOnly { terms.append("s.isRead = 0") }
                    if query.starredOnly { terms.append("s.isStarred = 1") }
                }
                // Newest published first, as every list is, counted exactly up to the cap.
                let rowids = try rows(.posts, table: "post", search: "postSearch", alias: "p", joins: joins, terms: terms, arguments: arguments)
                let summaries = try SQLitePostQuery.summaries(db, rowids: rowids)
                let bodies = try Self.bodies(db, rowids: rowids)
                results.posts = zip(summaries, rowids).map { summary, rowid in
                    SearchResults.PostHit(post: summary, snippet: Snippet.around(query, in: PlainText.fromHTML(bodies[rowid] ?? "")))
                }
            }
            let commentsToo = !query.hasPostOnlyFilters && (query.fts != nil || query.author != nil || query.country != nil || query.dateFrom != nil)
            if kinds.contains(.comments), commentsToo {
                var terms: [String] = []
                var arguments: [(any DatabaseValueConvertible)?] = []
                let (authorSQL, authorArguments) = authorTerms("c.author")
                if !authorSQL.isEmpty { terms.append(authorSQL); arguments += authorArguments }
                if query.unreadOnly { terms.append("c.isRead = 0") }
                if hideMuted { terms.append(SQLitePostQuery.notMuted("c.author")) }
                if let from = query.dateFrom, let to = query.dateTo {
                    terms.append("c.sortDate >= ? AND c.sortDate < ?")
                    arguments += [from, to]
                }
                let rowids = try rows(.comments, table: "comment", search: "commentSearch", alias: "c", joins: "", terms: terms, arguments: arguments)
                let found = try Row.fetchAll(db, sql: """
                    SELECT c.rowid AS rowid, c.id AS id, c.post AS post, p.title AS title,
                        coalesce(\(SQLiteRows.memberName("c.author")), c.authorName) AS authorName, c.body AS body
                    FROM comment c JOIN post p ON p.id = c.post
                    WHERE c.rowid IN (SELECT value FROM json_each(?))
                    """, arguments: [String(decoding: try JSONEncoder().encode(rowids), as: UTF8.self)])
                let byRowid = Dictionary(try found.map { (try $0.decode(Int64.self, forColumn: "rowid"), $0) }, uniquingKeysWith: { first, _ in first })
                results.comments = try rowids.compactMap { byRowid[$0] }.map {
                    SearchResults.CommentHit(comment: Comment.ID(try $0.decode(String.self, forColumn: "id")), post: Post.ID(try $0.decode(String.self, forColumn: "post")),
                                             postTitle: try $0.decode(String?.self, forColumn: "title") ?? "", authorName: try $0.decode(forColumn: "authorName"),
                                             snippet: Snippet.around(query, in: PlainText.fromHTML(try $0.decode(String?.self, forColumn: "body") ?? "")))
                }
            }
            if kinds.contains(.members), !query.hasPostOnlyFilters, !query.unreadOnly, query.dateFrom == nil {
                var terms: [String] = []
                var arguments: [(any DatabaseValueConvertible)?] = []
                var from = "member m"
                // Members match on their name, country and location; author: narrows by name.
                let memberMatch = [match, query.author.flatMap { SearchQuery.ftsPrefix($0, column: "name") }]
                    .compactMap { $0 }.joined(separator: " AND ")
                if !memberMatch.isEmpty {
                    from = "memberSearch JOIN member m ON m.rowid = memberSearch.rowid"
                    terms.append("memberSearch MATCH ?")
                    arguments.append(memberMatch)
                }
                if let country = query.country {
                    let (term, values) = CountryRule(key: country, code: country.uppercased(), extent: .start).sql("m.")
                    terms.append(term)
                    arguments += values
                }
                results.totals[.members] = try count(from, terms, arguments)
                results.members = try Row.fetchAll(db, sql: """
                    SELECT \(SQLiteRows.memberSummaryColumns) FROM \(from)
                    WHERE \(terms.joined(separator: " AND ")) ORDER BY m.nameKey, m.id LIMIT ? OFFSET ?
                    """, arguments: StatementArguments(arguments + [limit as (any DatabaseValueConvertible)?, offset])).map { try SQLiteRows.memberSummary($0) }
            }
            return results
        }
    }

    private static func bodies(_ db: Database, rowids: [Int64]) throws -> [Int64: String] {
        guard !rowids.isEmpty else { return [:] }
        let placeholders = Array(repeating: "?", count: rowids.count).joined(separator: ",")
        let rows = try Row.fetchAll(db, sql: "SELECT post, html FROM postBody WHERE post IN (\(placeholders))",
                                    arguments: StatementArguments(rowids))
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.decode(Int64.self, forColumn: "post"), try $0.decode(String?.self, forColumn: "html") ?? "") })
    }
}
