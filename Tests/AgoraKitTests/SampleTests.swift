import AgoraTestSupport
import AgoraKit
import Foundation
import Testing

@Suite("The embedded Diplo sample")
struct SampleTests {
    static let roster: [(String, String?)] = [
        ("Karlene Francis", "Jamaica"), ("Ivar Hartmann", nil), ("Elona Taka", "Albania"), ("Fahd Batayneh", "Jordan"),
        ("Edward Muthiga", "Kenya"), ("Nnenna Nwakanma", "Côte d'Ivoire"), ("Xu Jing", "China"), ("Gao Mosweu", "Botswana"),
        ("Jamil Goheer", "Pakistan"), ("Virginia (Ginger) Paque", "Venezuela"), ("Tim Davies", "UK"),
        ("Charity Gamboa-Embley", "Philippines"), ("Rafik Dammak", "Tunisia"), ("Jean-Yves Gatete", "Burundi"),
        ("Guilherme Almeida", "Brazil"), ("Magaly Pazello", "Brazil"), ("Sergio Alves Júnior", "Brazil"),
        ("Adela Danciu", "Romania"), ("Simona Popa", "Romania"), ("Marina Sokolova", "Belarus"),
        ("Andreana Stankova", "Bulgaria"), ("Vedran Djordjevic", "Canada"), ("Maria Morozova", "Ukraine"),
        ("David Kavanagh", "Ireland"), ("Nino Gobronidze", "Georgia"), ("Sorina Teleanu", "Romania"),
        ("Cosmin Neagu", "Romania"), ("Maja Rakovic", "Serbia"), ("Elma Demir", "Bosnia and Herzegovina"),
        ("Tatiana Chirev", "Moldova"), ("Maja Lubarda", "Slovenia"), ("Babatope Soremi", "Nigeria"),
        ("Marilia Maciel", "Brazil"), ("Raquel Gatto", "Brazil"), ("Andrés Piazza", "Argentina"), ("Nevena Ruzic", "Serbia"),
        ("Deirdre Williams", "St. Lucia"), ("Maureen Hilyard", "Cook Islands"), ("Monica Abalo", "Argentina"),
        ("Emmanuel Edet", "Nigeria"), ("Mwende Njiraini", "Kenya"), ("Marsha Guthrie", "Jamaica"),
        ("Kassim M. AL-Hassani", "Iraq"), ("Marília Maciel", "Brazil"), ("Alfonso Avila", "Mexico"), ("Pascal Bekono", "Cameroon"),
    ]

    @Test func the_community_is_as_its_page_shows_it() throws {
        let content = try SampleCommunity.content()
        let community = try #require(content.community)
        #expect(community.name == "Diplo Internet Governance Community")
        #expect(community.tagline == "Stay networked. Get informed. Broadcast your projects.")
        #expect(community.links.contains { $0.url == "http://www.diplomacy.edu/ig" })
        #expect(community.links.contains { $0.title.contains("An Introduction to Internet Governance") })
    }

    @Test func all_46_roster_entries_are_there_in_page_order_with_their_countries() throws {
        let members = try SampleCommunity.content().members
        #expect(members.count == 46)
        #expect(members.map(\.name) == Self.roster.map(\.0))
        #expect(members.map(\.country) == Self.roster.map(\.1))
        #expect(Set(members.map(\.id)).count == 46)
        #expect(members.first { $0.name == "Virginia (Ginger) Paque" }?.country == "Venezuela")
        #expect(members.filter { Folding.key($0.name) == "marilia maciel" }.count == 2)
    }

    @Test func the_post_has_every_paragraph_its_views_and_no_author_or_comments() throws {
        let content = try SampleCommunity.content()
        #expect(content.posts.count == 1)
        let post = try #require(content.posts.first)
        #expect(post.title == "ITU Secretary General to civil society representatives: WCIT is not about taking control of the internet")
        #expect(post.views == 146)
        #expect(post.author == nil && post.authorName == nil)
        #expect(content.comments.isEmpty)
        // The page has non-breaking spaces here and there; they are kept, and compared as spaces.
        let paragraphs = HTMLRenderer.render(post.body).blocks.map { $0.text.replacingOccurrences(of: "\u{00A0}", with: " ") }
        #expect(paragraphs.count == 14)
        #expect(paragraphs.first?.hasPrefix("The Secretary General Hamadoun I. Touré met civil society representatives") == true)
        #expect(paragraphs.last == "In sum, he promised to discuss with his Chair the issues raised by CS, and to also look into how other organizations such as UNESCO, WIPO, ICANN etc., are embracing multistakeholderism.")
    }

    /// Checked against the seed page itself where the checkout has it beside it.
    static let seedPath: String? = {
        // Tests/AgoraKitTests/SampleTests.swift -> the checkout -> its parent, where shared/ is.
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        let path = url.appendingPathComponent("shared/seed/000_a3e732168755ac36.txt").path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    @Test(.enabled(if: seedPath != nil, "the seed page is not beside this checkout"))
    func every_paragraph_and_roster_line_of_the_seed_page_is_in_the_sample() throws {
        let page = try String(contentsOfFile: Self.seedPath!, encoding: .utf8)
        let content = try SampleCommunity.content()
        let body = HTMLRenderer.render(content.posts[0].body).blocks.map {
            $0.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let lines = page.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let start = try #require(lines.firstIndex(of: content.posts[0].title))
        let end = try #require(lines.firstIndex(of: "Views: 146"))
        let paragraphs = lines[(start + 1)..<end].filter { !$0.isEmpty }
            .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        #expect(paragraphs == body)
        let rosterStart = try #require(lines.firstIndex(of: "Karlene Francis (Jamaica)"))
        let rosterEnd = try #require(lines.firstIndex { $0.hasPrefix("©") })
        let roster = lines[rosterStart..<rosterEnd].filter { !$0.isEmpty }
        #expect(roster == content.members.map { $0.name + ($0.country.map { " (\($0))" } ?? "") })
    }

    @Test func a_first_run_creates_the_cache_from_the_sample_once() throws {
        let dir = TemporaryDirectory()
        let path = dir.file("data/agora/agora.sqlite")
        let (store, created) = try Cache.open(path: path, seed: SampleCommunity.content)
        #expect(created)
        #expect(try store.statistics().members == 46)
        try store.setRead(true, posts: ["itu-secretary-general-wcit"])
        let (again, createdAgain) = try Cache.open(path: path, seed: SampleCommunity.content)
        #expect(!createdAgain)
        #expect(try again.statistics().unread == 0, "a second run must not re-seed over the reader's state")
    }

    @Test func the_default_cache_follows_xdg() {
        #expect(Cache.defaultPath(environment: ["XDG_DATA_HOME": "/x/data", "HOME": "/home/a"]) == "/x/data/agora/agora.sqlite")
        #expect(Cache.defaultPath(environment: ["HOME": "/home/a"]) == "/home/a/.local/share/agora/agora.sqlite")
        // A relative XDG_DATA_HOME is invalid by the spec and ignored.
        #expect(Cache.defaultPath(environment: ["XDG_DATA_HOME": "rel", "HOME": "/home/a"]) == "/home/a/.local/share/agora/agora.sqlite")
        #expect(Cache.Kind(path: "a/b.JSON") == .json)
        #expect(Cache.Kind(path: "a/b.db") == .sqlite)
    }

    @Test func a_generated_community_is_the_same_every_time() throws {
        func make() throws -> CacheContent {
            let dir = TemporaryDirectory()
            let store = try JSONStore(path: dir.file("g.json"))
            try SyntheticCommunity(posts: 30, members: 10, comments: 90, seed: 7).write(into: store, chunk: 8)
            return try store.exportContent()
        }
        let first = try make()
        #expect(first.posts.count == 30)
        #expect(first.members.count == 10)
        #expect(first.comments.count == 90)
        #expect(first.comments.filter { $0.post == "post-000000" }.count >= SyntheticCommunity.busyPostComments)
        #expect(first.comments.contains { $0.parent != nil })
        #expect(try make() == first)
    }
}
