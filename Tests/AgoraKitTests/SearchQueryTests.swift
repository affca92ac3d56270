import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

@Suite("The search query language")
struct SearchQueryTests {
    @Test func words_phrases_and_the_word_being_typed() {
        let q = SearchQuery("civil \"internet governance\" soc")
        #expect(q.terms.map(\.tokens) == [["civil"], ["internet", "governance"], ["soc"]])
        #expect(q.terms.map(\.isPhrase) == [false, true, false])
        #expect(q.terms.map(\.isPrefix) == [false, false, true])
        #expect(q.fts == #""civil" AND "internet governance" AND "soc"*"#)
        #expect(q.problems.isEmpty)
        #expect(SearchQuery("civil ").terms.last?.isPrefix == false)
        #expect(SearchQuery("\"open phr").terms.last?.isPrefix == true)
    }

    @Test func filter_terms() {
        let q = SearchQuery("author:\"Xu Ji\" country:Côte tag:WCIT is:unread is:starred ipv6")
        #expect(q.author == "xu ji")
        #expect(q.country == "cote")
        #expect(q.tag == "wcit")
        #expect(q.unreadOnly && q.starredOnly)
        #expect(q.terms.map(\.text) == ["ipv6"])
        #expect(q.problems.isEmpty)
        #expect(SearchQuery("AUTHOR:xu").author == "xu")
        // Half typed: no filter yet, and no complaint.
        #expect(SearchQuery("author:").author == nil)
        #expect(SearchQuery("is:unr").problems.isEmpty)
        #expect(!SearchQuery("is:unr").unreadOnly)
    }

    @Test(arguments: [
        ("foo:bar civil", "'foo:' is not a search term; use author:, country:, tag:, date:, is:unread or is:starred", ["civil"]),
        ("is:new", "is:new is not known; use is:unread or is:starred", []),
        ("\"unclosed phrase", "a quote is not closed: searching for the words after it as a phrase", ["unclosed phrase"]),
        ("author:\"xu", "a quote is not closed in author:", []),
    ])
    func malformed_input_is_a_message_and_the_rest_is_searched(text: String, problem: String, terms: [String]) {
        let q = SearchQuery(text)
        #expect(q.problems == [problem])
        #expect(q.terms.map(\.text) == terms)
    }

    @Test func characters_that_mean_something_to_fts_are_only_text() {
        #expect(SearchQuery("- * : \" ^ ( )").isEmpty || SearchQuery("- * : \" ^ ( )").terms.isEmpty)
        #expect(SearchQuery("NOT civil OR x").fts == #""not" AND "civil" AND "or" AND "x""#, "one letter is not a prefix yet")
        #expect(SearchQuery("NOT civil OR xu").fts == #""not" AND "civil" AND "or" AND "xu"*"#)
        #expect(SearchQuery("a\"b").terms.map(\.tokens) == [["a", "b"]])
        #expect(SearchQuery("d'ivoire").terms.map(\.tokens) == [["d", "ivoire"]])
        #expect(SearchQuery("NEAR(a bc)").fts == #""near a" AND "bc"*"#)
    }

    @Test func folding_for_search() {
        #expect(SearchText.fold("Straße") == "strasse")
        #expect(SearchText.fold("Kılıç") == "kilic")
        #expect(SearchText.fold("Nguyễn Đức") == "nguyen duc")
        #expect(SearchText.fold("ΣΩΚΡΆΤΗΣ") == SearchText.fold("σωκράτης"))
        #expect(SearchText.fold("Ёлка") == "елка")
        #expect(SearchText.fold("李明 and 東京") == "李 明 and 東 京")
        #expect(SearchText.forIndex("Plain ASCII stays") == "Plain ASCII stays")
    }

    @Test func the_words_of_index_text_as_the_tokenizer_makes_them() {
        var collector = TermCollector()
        collector.add("Internet governance—and the INTERNET, ipv6; e-mail")
        collector.add(SearchText.forIndex("Müller’s Straße, 東京 and Kılıç"))
        collector.add("internet again")
        #expect(collector.found == ["internet", "governance", "and", "the", "ipv6", "e", "mail",
                                    "muller", "s", "strasse", "東", "京", "kilic", "again"])
    }

    @Test func the_words_are_each_found_once_however_many_there_are() {
        // Far more words than the table of hashes starts with: it grows and forgets none.
        let words = (0..<5_000).map { "w\($0)x" }
        var collector = TermCollector()
        collector.add(words.joined(separator: " "))
        collector.add(words.reversed().joined(separator: ", "))
        #expect(collector.found.count == words.count)
        #expect(collector.found.elementsEqual(words))
    }

    @Test func highlights_cover_whole_words_and_cjk_characters() {
        let q = SearchQuery("marilia gov")
        let text = "Marília spoke on Internet Governance, not on governments."
        let words = q.highlights(in: text).map { String(text[$0]) }
        #expect(words == ["Marília", "Governance", "governments"])
        let cjk = "李明在北京"
        #expect(SearchQuery("明").highlights(in: cjk).map { String(cjk[$0]) } == ["明"])
    }
}

/// A community with names in many scripts, for folding in both caches.
enum Scripts {
    static let members: [Member] = [
        Member(id: "mueller", name: "Jürgen Müller", country: "Germany", countryCode: "DE", location: "Straße des 17. Juni"),
        Member(id: "nguyen", name: "Nguyễn Văn Đức", country: "Viet Nam", countryCode: "VN"),
        Member(id: "kilic", name: "Ayşe Kılıç", country: "Türkiye", countryCode: "TR", location: "İstanbul"),
        Member(id: "papadopoulos", name: "Σωκράτης Παπαδόπουλος", country: "Greece", countryCode: "GR"),
        Member(id: "ivanova", name: "Анна Иванова", country: "Russia", countryCode: "RU"),
        Member(id: "tanaka", name: "田中 花子", country: "Japan", countryCode: "JP"),
        Member(id: "xu", name: "Xu Jing", country: "China", countryCode: "CN"),
        Member(id: "nnenna", name: "Nnenna Nwakanma", country: "Côte d'Ivoire", countryCode: "CI"),
        Member(id: "marilia", name: "Marília Maciel", country: "Brazil", countryCode: "BR"),
        Member(id: "marilia2", name: "Marilia Maciel", country: "Brazil", countryCode: "BR"),
    ]

    static var content: CacheContent {
        let day = { (n: Double) in Date(timeIntervalSince1970: 1_600_000_000 + n * 86_400) }
        return CacheContent(
            community: Community(name: "Scripts"),
            members: members,
            posts: [
                Post(id: "p-de", kind: .blogPost, title: "Netzpolitik in der Straße", author: "mueller", published: day(1),
                     tags: ["Datenschutz"], body: "<p>Über Datenschutz und Müller.</p>"),
                Post(id: "p-vi", kind: .discussion, title: "Quản trị Internet", author: "nguyen", published: day(2),
                     category: "Governance", body: "<p>Thảo luận về Internet ở Việt Nam.</p>"),
                Post(id: "p-el", kind: .blogPost, title: "ΔΙΑΚΥΒΈΡΝΗΣΗ ΤΟΥ ΔΙΑΔΙΚΤΎΟΥ", author: "papadopoulos", published: day(3),
                     body: "<p>Κείμενο για τη διακυβέρνηση.</p>"),
                Post(id: "p-ru", kind: .blogPost, title: "Управление интернетом", author: "ivanova", published: day(4),
                     tags: ["Политика"], body: "<p>Ёлка и интернет.</p>"),
                Post(id: "p-ja", kind: .blogPost, title: "インターネットガバナンス東京会議", author: "tanaka", published: day(5),
                     body: "<p>東京で会議がありました。</p>"),
                Post(id: "p-en", kind: .blogPost, title: "Civil society at the WCIT", author: "xu", published: day(6),
                     tags: ["WCIT"], views: 100, body: "<p>Marília and Xu Jing spoke about the ITRs.</p>"),
            ],
            comments: [
                Comment(id: "c1", post: "p-en", author: "kilic", authorName: "Ayşe Kılıç", published: day(7), body: "<p>Teşekkürler, çok güzel.</p>"),
                Comment(id: "c2", post: "p-de", author: "nnenna", authorName: "Nnenna Nwakanma", published: day(8), body: "<p>Greetings from Abidjan.</p>"),
            ])
    }
}

@Suite("Search across scripts, in both caches")
struct FoldingSearchTests {
    static func ids(_ store: any CommunityStore, _ text: String) throws -> (posts: [String], comments: [String], members: [String]) {
        let r = try store.search(text)
        return (r.posts.map(\.post.id.rawValue), r.comments.map(\.comment.rawValue), r.members.map(\.id.rawValue))
    }

    @Test(arguments: StoreKind.allCases)
    func case_and_accents_fold_in_every_script(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind, Scripts.content)
        _ = dir
        #expect(try Self.ids(store, "marilia").members == ["marilia", "marilia2"])
        #expect(try Self.ids(store, "MARÍLIA ").members == ["marilia", "marilia2"])
        #expect(try Self.ids(store, "cote d'ivoire").members == ["nnenna"])
        #expect(try Self.ids(store, "xu").members == ["xu"])
        #expect(try Self.ids(store, "muller").members == ["mueller"])
        #expect(try Self.ids(store, "müller").posts == ["p-de"])
        #expect(try Self.ids(store, "strasse").posts == ["p-de"])
        #expect(try Self.ids(store, "strasse").members == ["mueller"])
        #expect(try Self.ids(store, "nguyen duc").members == ["nguyen"])
        #expect(try Self.ids(store, "viet nam").posts == ["p-vi"])
        #expect(try Self.ids(store, "kilic").members == ["kilic"])
        #expect(try Self.ids(store, "istanbul").members == ["kilic"])
        #expect(try Self.ids(store, "tesekkurler").comments == ["c1"])
        #expect(try Self.ids(store, "διακυβερνηση").posts == ["p-el"])
        #expect(try Self.ids(store, "σωκρατης").members == ["papadopoulos"])
        #expect(try Self.ids(store, "елка").posts == ["p-ru"])
        #expect(try Self.ids(store, "ИВАНОВА").members == ["ivanova"])
        #expect(try Self.ids(store, "東京").posts == ["p-ja"])
        #expect(try Self.ids(store, "会議").posts == ["p-ja"])
        #expect(try Self.ids(store, "花子").members == ["tanaka"])
        #expect(try Self.ids(store, "田").members == ["tanaka"])
    }

    @Test(arguments: StoreKind.allCases)
    func phrases_prefixes_and_filters(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind, Scripts.content)
        _ = dir
        #expect(try Self.ids(store, "\"civil society\"").posts == ["p-en"])
        #expect(try Self.ids(store, "\"society civil\"").posts.isEmpty)
        #expect(try Self.ids(store, "\"civil soc").posts == ["p-en"])
        #expect(try Self.ids(store, "internet").posts == ["p-vi"])
        #expect(try Self.ids(store, "интернет").posts == ["p-ru"])
        #expect(try Self.ids(store, "internet author:nguy").posts == ["p-vi"])
        #expect(try Self.ids(store, "author:\"xu jing\"").posts == ["p-en"])
        #expect(try Self.ids(store, "author:xu").members == ["xu"])
        #expect(try Self.ids(store, "country:germ").posts == ["p-de"])
        #expect(try Self.ids(store, "country:br").members == ["marilia", "marilia2"])
        #expect(try Self.ids(store, "country:CI").comments == ["c2"])
        #expect(try Self.ids(store, "tag:wc").posts == ["p-en"])
        #expect(try Self.ids(store, "tag:governance").posts == ["p-vi"])
        #expect(try Self.ids(store, "tag:политика").posts == ["p-ru"])
        let tagged = try store.search("tag:wcit")
        #expect(tagged.comments.isEmpty && tagged.members.isEmpty)
        try store.setRead(true, posts: [Post.ID("p-en"), Post.ID("p-ja")])
        try store.setStarred(true, posts: [Post.ID("p-de")])
        #expect(try Self.ids(store, "is:unread").posts == ["p-ru", "p-el", "p-vi", "p-de"])
        #expect(try Self.ids(store, "is:starred").posts == ["p-de"])
        #expect(try Self.ids(store, "is:starred strasse").posts == ["p-de"])
        #expect(try Self.ids(store, "is:starred internet").posts.isEmpty)
    }

    @Test(arguments: StoreKind.allCases)
    func nothing_a_person_types_makes_search_fail(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind, Scripts.content)
        _ = dir
        for text in ["\"", "\"\"", "*", "-", ":", "a:", ":b", "NOT", "AND OR", "civil*", "civil -society", "^civil", "(civil",
                     "civil)", "NEAR(civil society)", "col:civil", "title:civil", "{title}:civil", "'", "\\", "%", "_", "c++",
                     "\u{1B}[31m", "a\u{0}b", String(repeating: "x", count: 2_000), "😀", "is:", "tag:", "country:\"", "author:\"\""] {
            _ = try store.search(text)
        }
        #expect(try Self.ids(store, "civil -society").posts == ["p-en"], "a minus is only text: it does not mean NOT")
        #expect(try store.search("foo:bar civil").problems == ["'foo:' is not a search term; use author:, country:, tag:, date:, is:unread or is:starred"])
        #expect(try Self.ids(store, "foo:bar civil").posts == ["p-en"])
    }
}

@Suite("Filters and sorts, in both caches")
struct FilterSortTests {
    @Test(arguments: StoreKind.allCases)
    func unread_first_then_read_each_newest_first(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind, Scripts.content)
        _ = dir
        try store.setRead(true, posts: [Post.ID("p-en"), Post.ID("p-vi")])
        let ids = try store.posts(PostQuery(sort: .unread)).map(\.id.rawValue)
        #expect(ids == ["p-ja", "p-ru", "p-el", "p-de", "p-en", "p-vi"])
        // Windows across the seam.
        #expect(try store.posts(PostQuery(sort: .unread, offset: 3, limit: 2)).map(\.id.rawValue) == ["p-de", "p-en"])
        #expect(try store.posts(PostQuery(sort: .unread, offset: 5, limit: 9)).map(\.id.rawValue) == ["p-vi"])
        // With a filter: the counts follow it.
        let filter = PostFilter(country: "China")
        #expect(try store.posts(PostQuery(filter: filter, sort: .unread)).map(\.id.rawValue) == ["p-en"])
        #expect(try store.counts(filter) == PostCounts(total: 1, unread: 0))
        #expect(try store.posts(PostQuery(filter: PostFilter(tag: "datenschutz"), sort: .views)).map(\.id.rawValue) == ["p-de"])
    }

    @Test(arguments: StoreKind.allCases)
    func the_roster_filters_by_name_and_sorts_by_posts_and_counts_countries(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind, Scripts.content)
        _ = dir
        #expect(try store.members(MemberQuery(name: "mar")).map(\.id.rawValue) == ["marilia", "marilia2"])
        #expect(try store.members(MemberQuery(name: "MARÍ mac")).map(\.id.rawValue) == ["marilia", "marilia2"])
        #expect(try store.members(MemberQuery(name: "jing")).map(\.id.rawValue) == ["xu"])
        #expect(try store.members(MemberQuery(name: "花")).map(\.id.rawValue) == ["tanaka"])
        #expect(try store.members(MemberQuery(name: "zzz")).isEmpty)
        #expect(try store.memberCount(MemberQuery(name: "mar")) == 2)
        #expect(try store.memberCount(MemberQuery(country: "Brazil", name: "marilia")) == 2)
        #expect(try store.memberCount(MemberQuery()) == Scripts.members.count)
        let byPosts = try store.members(MemberQuery(sort: .posts)).map(\.postCount)
        #expect(byPosts == byPosts.sorted(by: >))
        #expect(try store.members(MemberQuery(sort: .posts, limit: 1)).first?.postCount == 1)
        let countries = try store.memberCountries()
        #expect(countries["Brazil"] == 2)
        #expect(countries["Côte d'Ivoire"] == 1)
        #expect(countries.values.reduce(0, +) == Scripts.members.count)
    }
}

@Suite("Every name can be found, in the sample and a generated community")
struct EveryNameTests {
    /// A name typed without accents, in lower case, as someone remembers it.
    static func typed(_ name: String) -> String {
        name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    @Test(arguments: StoreKind.allCases)
    func every_member_of_the_sample(kind: StoreKind) throws {
        let (store, dir) = try makeStore(kind, try SampleCommunity.content())
        _ = dir
        for member in try SampleCommunity.content().members {
            // As typed so far: the first word, then two letters of the last.
            let words = Self.typed(member.name).split(separator: " ")
            let partial = words.count > 1 ? words[0] + " " + words.last!.prefix(2) : words[0].prefix(2)
            for query in [member.name, Self.typed(member.name), member.name.uppercased(), String(partial)] {
                let found = try store.search(query, kinds: [.members], limit: 200).members.map(\.id)
                #expect(found.contains(member.id), "\(query) does not find \(member.name)")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func every_member_of_a_generated_community_in_many_scripts(kind: StoreKind) throws {
        let dir = TemporaryDirectory()
        let store: any CommunityStore = kind == .json ? try JSONStore(path: dir.file("g.json")) : try SQLiteStore(path: dir.file("g.sqlite"))
        let community = SyntheticCommunity(posts: 20, members: 160, comments: 20, seed: 11)
        try community.write(into: store, chunk: 20)
        let members = try store.members(MemberQuery(limit: 160))
        #expect(members.count == 160)
        // German, Vietnamese, Turkish, Greek, Cyrillic, Arabic and CJK names are all among them.
        let scripts: [(String, (Unicode.Scalar) -> Bool)] = [
            ("Greek", { (0x0370...0x03FF).contains($0.value) }), ("Cyrillic", { (0x0400...0x04FF).contains($0.value) }),
            ("CJK", { (0x4E00...0x9FFF).contains($0.value) || (0xAC00...0xD7AF).contains($0.value) }),
            ("Vietnamese", { "ễặđĐ".unicodeScalars.contains($0) }), ("Turkish", { "ıİşğ".unicodeScalars.contains($0) }),
            ("German", { "üöäß".unicodeScalars.contains($0) }),
        ]
        for (script, test) in scripts {
            #expect(members.contains { $0.name.unicodeScalars.contains(where: test) }, "no \(script) name")
        }
        for member in members {
            let words = member.name.split(separator: " ").map(String.init)
            for query in [member.name, Self.typed(member.name), words.last!.uppercased()] {
                let found = try store.search(query, kinds: [.members], limit: 160).members.map(\.id)
                #expect(found.contains(member.id), "\(query) does not find \(member.name)")
            }
        }
    }
}

@Suite("A word being typed, in both ways of importing")
struct TypedPrefixTests {
    @Test(arguments: StoreKind.allCases)
    func long_prefixes_find_every_word_they_begin(kind: StoreKind) throws {
        let dir = TemporaryDirectory()
        let store: any CommunityStore = kind == .json ? try JSONStore(path: dir.file("t.json")) : try SQLiteStore(path: dir.file("t.sqlite"))
        // Half the posts come in one import, half in batches (as a large feed does).
        try store.importContent(CacheContent(posts: [Post(id: "a", title: "International law", body: "<p>Treaties.</p>")]))
        try store.importBatches { write in
            try write(CacheContent(posts: [Post(id: "b", title: "Internet governance", body: "<p>Interoperability matters.</p>")]))
            try write(CacheContent(posts: [Post(id: "c", title: "Unrelated", body: "<p>Nothing here.</p>")],
                                   comments: [Comment(id: "k", post: "c", body: "<p>An interesting INTERVIEW.</p>")]))
        }
        #expect(try store.search("inter").posts.map(\.post.id.rawValue) == ["b", "a"])
        #expect(try store.search("inter").comments.map(\.comment.rawValue) == ["k"])
        #expect(try store.search("interop").posts.map(\.post.id.rawValue) == ["b"])
        #expect(try store.search("internati").posts.map(\.post.id.rawValue) == ["a"])
        #expect(try store.search("interv").comments.map(\.comment.rawValue) == ["k"])
        #expect(try store.search("interz").isEmpty)
        #expect(try store.search("governance inter").posts.map(\.post.id.rawValue) == ["b"])
    }
}

@Suite("Search texts made on every core")
struct BatchedSearchTextTests {
    /// The search index makes each post's and comment's search text on every core, a few
    /// hundred at a time: each is found by its own words, and by no one else's.
    @Test(arguments: StoreKind.allCases)
    func every_post_and_comment_of_a_batched_import_is_found_by_its_own_words(kind: StoreKind) throws {
        let (store, directory) = try makeStore(kind, CacheContent())
        defer { _ = directory }
        let count = 300
        try store.importBatches { write in
            for batch in 0..<2 {
                let range = (batch * count / 2)..<((batch + 1) * count / 2)
                try write(CacheContent(
                    posts: range.map { Post(id: Post.ID("p\($0)"), title: "Post \($0)", body: "<p>About ptok\($0)x here.</p>") },
                    comments: range.map { Comment(id: Comment.ID("c\($0)"), post: Post.ID("p\($0)"), body: "<p>Said ctok\($0)x there.</p>") }))
            }
        }
        for n in [0, 1, 127, 128, 129, 149, 150, 151, 255, 256, 299] {
            #expect(try store.search("ctok\(n)x").comments.map(\.comment.rawValue) == ["c\(n)"], "comment \(n)")
            #expect(try store.search("ptok\(n)x").posts.map(\.post.id.rawValue) == ["p\(n)"], "post \(n)")
        }
    }
}

@Suite("The list rules, in both caches")
struct ListRuleTests {
    /// Every filter and order a person can pick, on a generated community with reader state:
    /// each cache's windows and counts are what the model's rules (`PostFilter.matches`,
    /// `PostSort.orders`) say of the same posts. The SQLite cache says them in SQL, the JSON
    /// cache applies them; this holds both to the one rule.
    @Test(arguments: StoreKind.allCases)
    func windows_and_counts_follow_the_model_rules_for_every_filter_and_order(kind: StoreKind) throws {
        let directory = TemporaryDirectory()
        let path = directory.file(kind.fileName)
        let store: any CommunityStore = kind == .json ? try JSONStore(path: path) : try SQLiteStore(path: path)
        try SyntheticCommunity(posts: 240, members: 40, comments: 300, seed: 7).write(into: store, chunk: 100)
        let content = try store.exportContent()
        try store.setRead(true, posts: content.posts.enumerated().filter { $0.offset % 3 == 0 }.map(\.element.id))
        try store.setStarred(true, posts: content.posts.enumerated().filter { $0.offset % 7 == 0 }.map(\.element.id))
        let exported = try store.exportContent()
        let members = Dictionary(exported.members.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let comments = Dictionary(grouping: exported.comments, by: \.post).mapValues(\.count)
        let someone = try #require(exported.posts.compactMap(\.author).first { members[$0]?.country != nil })
        let country = try #require(members[someone]?.country)
        let tag = try #require(exported.posts.compactMap { $0.category ?? $0.tags.first }.first)
        let filters = [
            PostFilter(), PostFilter(unreadOnly: true), PostFilter(starredOnly: true), PostFilter(author: someone),
            PostFilter(tag: tag), PostFilter(tag: tag.uppercased()), PostFilter(country: country),
            PostFilter(country: country.lowercased()), PostFilter(unreadOnly: true, country: country),
            PostFilter(starredOnly: true, tag: tag), PostFilter(unreadOnly: true, author: someone),
        ]
        for filter in filters {
            let state = { (post: Post) in exported.postStates[post.id] ?? .unread }
            let shown = exported.posts.enumerated().filter { filter.matches($0.element, state: state($0.element), author: $0.element.author.flatMap { members[$0] }) }
            #expect(try store.counts(filter) == PostCounts(total: shown.count, unread: shown.filter { !state($0.element).read }.count),
                    "\(kind) counts of \(filter.summary)")
            for sort in PostSort.allCases {
                let keys = shown.map { item in
                    PostOrderKey(date: item.element.sortDate.timeIntervalSince1970, views: item.element.views,
                                 comments: comments[item.element.id] ?? 0, read: state(item.element).read, added: item.offset)
                }
                let expected = keys.indices.sorted { sort.orders(keys[$0], before: keys[$1]) }.map { shown[$0].element.id }
                #expect(try store.posts(PostQuery(filter: filter, sort: sort, offset: 0, limit: 1_000)).map(\.id) == expected,
                        "\(kind) \(filter.summary), \(sort)")
                // A window from the middle is that part of the same list.
                let middle = Array(expected.dropFirst(expected.count / 2).prefix(7))
                #expect(try store.posts(PostQuery(filter: filter, sort: sort, offset: expected.count / 2, limit: 7)).map(\.id) == middle)
            }
        }
    }

    @Test func a_country_is_its_code_or_its_folded_name_whole_or_as_typed() {
        let member = Member(id: "m", name: "M", country: "Côte d’Ivoire", countryCode: "CI")
        #expect(CountryRule("cote d'ivoire").matches(member))
        #expect(CountryRule("ci").matches(member))
        #expect(!CountryRule("cote").matches(member))
        #expect(CountryRule("cote", extent: .start).matches(member))
        #expect(!CountryRule("ivoire", extent: .start).matches(member))
        #expect(!CountryRule("CI").matches(Member(id: "x", name: "X")))
    }
}

@Suite("The date: term")
struct DateTermTests {
    @Test func years_months_and_days_are_periods() {
        let month = SearchQuery("date:2012-12")
        #expect(month.dateFrom == ISODate.parse("2012-12-01T00:00:00Z")!.timeIntervalSince1970)
        #expect(month.dateTo == ISODate.parse("2013-01-01T00:00:00Z")!.timeIntervalSince1970)
        let year = SearchQuery("governance date:2012")
        #expect(year.dateTo! - year.dateFrom! == 366 * 86_400, "2012 was a leap year")
        #expect(year.terms.map(\.text) == ["governance"])
        #expect(SearchQuery("date:2012-12-20").dateTo! - SearchQuery("date:2012-12-20").dateFrom! == 86_400)
        #expect(SearchQuery("date:201").problems.isEmpty && SearchQuery("date:201").dateFrom == nil, "still typing")
        #expect(SearchQuery("date:2012-13").problems
            == ["date:2012-13 is not a date; use date:2012, date:2012-12, date:2012-12-20 or date:2012-12-17..2012-12-23"])
        // Ranges: from the start of the first to the end of the second.
        let week = SearchQuery("date:2012-12-17..2012-12-23")
        #expect(week.dateFrom == ISODate.parse("2012-12-17T00:00:00Z")!.timeIntervalSince1970)
        #expect(week.dateTo == ISODate.parse("2012-12-24T00:00:00Z")!.timeIntervalSince1970)
        #expect(SearchQuery("date:2011..2012").dateTo! - SearchQuery("date:2011..2012").dateFrom! == (365 + 366) * 86_400)
        for typing in ["date:2012-12-17.", "date:2012-12-17..", "date:2012-12-17..2012-1"] {
            #expect(SearchQuery(typing).problems.isEmpty, "\(typing) is still being typed")
        }
        #expect(SearchQuery("date:2012-12-23..2012-12-17").problems.count == 1, "backwards")
        #expect(SearchQuery("date:2012..x").problems.count == 1)
        #expect(SearchQuery("date:2012-02-30").problems.count == 1)
        #expect(!SearchQuery("date:2012").isEmpty, "a date alone is a search")
    }

    @Test(arguments: StoreKind.allCases)
    func both_caches_find_the_same_month(kind: StoreKind) throws {
        let posts = (0..<40).map { i in
            Post(id: Post.ID(String(format: "p%02d", i)), title: "Note \(i) on governance",
                 published: ISODate.parse("2012-\(String(format: "%02d", 10 + i % 3))-\(String(format: "%02d", 1 + i % 28))T12:00:00Z"))
        }
        let comments = [AgoraKit.Comment(id: "c1", post: "p00", published: ISODate.parse("2012-12-05T00:00:00Z"), body: "<p>A December remark</p>"),
                        AgoraKit.Comment(id: "c2", post: "p00", published: ISODate.parse("2012-11-05T00:00:00Z"), body: "<p>A November remark</p>")]
        let (store, folder) = try makeStore(kind, CacheContent(posts: posts, comments: comments))
        _ = folder
        let december = try store.search(SearchQuery("date:2012-12"), kinds: Set(SearchKind.allCases), limit: 100, offset: 0)
        let expected = posts.filter { ISODate.string($0.published!).hasPrefix("2012-12") }.map(\.id)
        #expect(Set(december.posts.map(\.post.id)) == Set(expected))
        #expect(december.comments.map(\.comment) == ["c1"])
        #expect(december.members.isEmpty)
        let words = try store.search(SearchQuery("governance date:2012-11"), kinds: [.posts], limit: 100, offset: 0)
        #expect(Set(words.posts.map(\.post.id)) == Set(posts.filter { ISODate.string($0.published!).hasPrefix("2012-11") }.map(\.id)))
    }
}
