import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

@Suite("Mail: threads and people")
struct MailThreadTests {
    static func item(_ id: String, _ parents: [String] = [], _ subject: String = "s") -> MailThreads.Item {
        let (key, reply) = MailThreads.subjectKey(subject)
        return MailThreads.Item(id: id, parents: parents, subjectKey: key, isReply: reply)
    }

    @Test func replies_nest_under_what_they_answer() {
        let threads = MailThreads.thread([Self.item("a"), Self.item("b", ["a"]), Self.item("c", ["a", "b"]), Self.item("d", ["a"])])
        #expect(threads.count == 1)
        #expect(threads[0].root == 0)
        #expect(threads[0].replies.map(\.index) == [1, 2, 3])
        #expect(threads[0].replies.map(\.parent) == [nil, 1, nil])
    }

    @Test func a_missing_parent_is_kept_as_a_place_and_a_loop_is_refused() {
        // b and c answer a message the archive does not have.
        let missing = MailThreads.thread([Self.item("b", ["gone"]), Self.item("c", ["gone", "b"])])
        #expect(missing == [MailThreads.Thread(root: nil, rootID: "gone", replies: [(0, nil), (1, 0)])])
        // x says it answers y, y says it answers x: one of them is the root, never both.
        let loop = MailThreads.thread([Self.item("x", ["y"]), Self.item("y", ["x"])])
        #expect(loop.count == 1 && loop[0].replies.count == 1)
    }

    @Test func subjects_group_only_messages_with_no_parent_at_all() {
        let threads = MailThreads.thread([
            Self.item("a", [], "[Gov] Draft statement"),
            Self.item("b", [], "Re: [Gov] Draft statement"),
            Self.item("c", ["elsewhere"], "Re: Draft statement"),
            Self.item("d", [], "Draft statement"),
        ])
        // b joins a by its subject; c has a parent of its own (missing) and keeps it; d says
        // nothing of being a reply and starts its own thread.
        #expect(threads.count == 3)
        #expect(threads[0].root == 0 && threads[0].replies.map(\.index) == [1])
        #expect(threads.contains { $0.root == nil && $0.replies.map(\.index) == [2] })
        #expect(threads.contains { $0.root == 3 && $0.replies.isEmpty })
        #expect(MailThreads.subjectKey("RE: Aw: Fwd: [IGF-MAG] Über").key == MailThreads.subjectKey("über").key)
    }

    @Test func the_same_message_archived_twice_is_one() {
        let threads = MailThreads.thread([Self.item("a"), Self.item("b", ["a"]), Self.item("a"), Self.item("b", ["a"])])
        #expect(threads.count == 1 && threads[0].replies.map(\.index) == [1])
    }

    static func letter(_ from: String, _ id: String, extra: String = "") -> Data {
        Data("From x Thu Nov  1 11:19:12 2001\nFrom: \(from)\nMessage-ID: <\(id)>\nSubject: s\n\(extra)\nBody of \(id).\n\n".utf8)
    }

    @Test func one_person_however_many_addresses_and_spellings_and_two_who_share_a_name_stay_two() {
        let messages = [
            Self.letter("Marília Maciel <marilia.maciel@example.org>", "1"),
            Self.letter("\"Maciel, Marilia\" <M.Maciel@FGV.example>", "2"),
            Self.letter("marilia.maciel at example.org (Marília Maciel)", "3"),
            Self.letter("Marília Maciel via Governance <governance@lists.example.org>", "4", extra: "Reply-To: m.maciel@fgv.example\n"),
            Self.letter("John Smith <john.smith@example.org>", "5"),
            Self.letter("John Smith <office@other.example>", "6"),
        ].flatMap { Mbox.messages($0) }
        let content = MailImport.content(messages, location: "/lists/governance.mbox", listName: "Governance")
        let maciel = content.members.filter { $0.name.contains("Mar") }
        #expect(maciel.count == 1)
        #expect(maciel.first?.profile.first { $0.question == "Addresses" }?.answer == "m.maciel@fgv.example, marilia.maciel@example.org")
        #expect(content.members.filter { $0.name == "John Smith" }.count == 2, "an address that says nothing of the name is not joined by it")
        // Every message by Marília is hers, the one sent through the list included.
        let posts = content.posts.filter { ["1", "2", "3", "4"].contains(String($0.id.rawValue.split(separator: ":").last ?? "")) }
        #expect(Set(posts.map(\.author)).count == 1 && posts.count == 4)
    }

    @Test func the_pipermail_month_is_three_threads_by_one_member() throws {
        let data = try Data(contentsOf: Fixtures.mail.appendingPathComponent("pipermail-bigbang-dev.txt"))
        let content = MailImport.content(Mbox.messages(data), location: "/m/pipermail-bigbang-dev.txt")
        #expect(content.sources.first?.name == "Bigbang-dev" && content.sources.first?.kind == .mailingList)
        #expect(content.posts.map(\.title) == ["test", "second thread", "a third thread"])
        #expect(content.members.map(\.name) == ["Sebastian Benthall"])
        #expect(content.members.first?.profile.first?.answer == "sb@ischool.berkeley.edu")
        let test = content.posts[0]
        #expect(test.published == MailDate.parse("Sat, 8 Nov 2014 11:37:32 -0800"))
        #expect(test.body.contains("attachment.html"), "the scrubbed HTML part is a link")
        let replies = content.comments.filter { $0.post == test.id }
        #expect(replies.count == 2)
        // The third message answers the second (References), not the first.
        #expect(replies[1].parent == replies[0].id)
        #expect(replies[0].body.contains("<blockquote>"))
        #expect(content.comments.count == 3)
    }

    @Test func the_listserv_export_is_read_with_its_loose_headers() throws {
        let data = try Data(contentsOf: Fixtures.mail.appendingPathComponent("listserv-export-3gpp-ran4.mbox"))
        let content = MailImport.content(Mbox.messages(data), location: "/m/ran4.mbox")
        // 59 entries: one empty record, and two ids archived more than once (3 and 2 times).
        #expect(content.posts.count + content.comments.count == 56 - 1 + content.posts.filter { $0.author == nil }.count)
        #expect(content.posts.count == 23)
        let names = Set(content.members.map(\.name))
        #expect(names.contains("Ting-Wei Kang 康庭維"))
        #expect(names.contains("Rodriguez-Herrera, Alfonso"))
        let draft = try #require(content.posts.first { $0.title == "draft WF on FR2 MIMO OTA" })
        // Checked by hand: its date, 10:39:52 at -0800, is 18:39:52 UTC; two replies, one of them nested.
        #expect(draft.published?.timeIntervalSince1970 == 1_574_447_992)
        #expect(draft.author == Source.IDRule.mailingList.memberID("wangruixin@caict.ac.cn", in: draft.source ?? ""))
        #expect(content.comments.filter { $0.post == draft.id }.count == 2)
        #expect(content.sources.first?.name == "3GPP_TSG_RAN_WG4_NR-MIMO-OTA", "LISTSERV's sender names the list")
        // Quoted-printable bodies read: the soft breaks joined, the UTF-8 quotes whole.
        #expect(content.comments.contains { $0.body.contains("\u{201C}Revisit Initial phase definition of channel model, that is common part") })
        #expect(content.posts.allSatisfy { !$0.title.hasPrefix("'") })
    }

    @Test(arguments: ["sqlite", "json"])
    func a_reply_imported_later_goes_on_the_thread_the_cache_has(kind: String) throws {
        let dir = TemporaryDirectory()
        let store: any CommunityStore = kind == "json" ? try JSONStore(path: dir.file("c.json")) : try SQLiteStore(path: dir.file("c.sqlite"))
        let list = "https://lists.example.org/pipermail/gov/"
        let march = [Self.letter("Ana <ana@example.org>", "a"), Self.letter("Li <li@example.org>", "b", extra: "In-Reply-To: <a>\n")]
        try store.importContent(try MailImport.content(march.flatMap { Mbox.messages($0) }, location: list, port: store))
        // April: a reply to b (so to a's thread), and one to a message no one has.
        let april = [Self.letter("Ana <ana@example.org>", "c", extra: "In-Reply-To: <b>\nReferences: <a> <b>\n"),
                     Self.letter("Li <li@example.org>", "d", extra: "In-Reply-To: <lost>\n")]
        let content = try MailImport.content(april.flatMap { Mbox.messages($0) }, location: list, port: store)
        try store.importContent(content)
        let rules = Source.IDRule.mailingList
        let source = Source.IDRule.mailingList.sourceID(key: Source.key(forLocation: list))
        let thread = try store.post(rules.topicID(key: "a", in: source))
        #expect(thread.comments.map(\.comment.id) == [rules.replyID(key: "b", in: source), rules.replyID(key: "c", in: source)])
        #expect(thread.comments.last?.comment.parent == rules.replyID(key: "b", in: source), "c answers b")
        #expect(content.posts.map(\.id) == [rules.topicID(key: "lost", in: source)], "only the thread no one has gets a place of its own")
    }

    /// A person the cache knows from an earlier month stays one member when, this month, they
    /// write mostly from another address: the member they had is kept, and the new address joins it.
    @Test(arguments: ["sqlite", "json"])
    func a_person_keeps_their_member_when_another_address_takes_over(kind: String) throws {
        let dir = TemporaryDirectory()
        let store: any CommunityStore = kind == "json" ? try JSONStore(path: dir.file("c.json")) : try SQLiteStore(path: dir.file("c.sqlite"))
        let list = "https://lists.example.org/pipermail/gov/"
        let march = [Self.letter("Ana Lima <ana@example.org>", "a")]
        try store.importContent(try MailImport.content(march.flatMap { Mbox.messages($0) }, location: list, port: store))
        let april = [Self.letter("Ana Lima <ana@example.org>", "b")]
            + (1...3).map { Self.letter("Ana Lima <ana.lima@other.example>", "c\($0)") }
        try store.importContent(try MailImport.content(april.flatMap { Mbox.messages($0) }, location: list, port: store))
        let source = Source.IDRule.mailingList.sourceID(key: Source.key(forLocation: list))
        let ana = Source.IDRule.mailingList.memberID("ana@example.org", in: source)
        let members = try store.members(MemberQuery(limit: 10))
        #expect(members.map(\.id) == [ana], "one member: \(members.map(\.id))")
        let profile = try store.member(ana)
        #expect(profile.postCount == 5, "all five threads are hers")
        // No count of this import's alone on the profile: the profile counts her threads itself.
        #expect(profile.member.profile.map(\.question) == ["Addresses"])
        #expect(profile.member.profile.first { $0.question == "Addresses" }?.answer == "ana.lima@other.example, ana@example.org")
    }

    /// A list synced a month at a time: a person who wrote from two addresses and under two
    /// spellings in March, and only from one in April, keeps both on the profile.
    @Test(arguments: ["sqlite", "json"])
    func every_address_a_person_wrote_from_stays_on_the_profile_across_imports(kind: String) throws {
        let dir = TemporaryDirectory()
        let path = dir.file(kind == "json" ? "c.json" : "c.sqlite")
        let list = "https://lists.example.org/pipermail/gov/"
        do {
            let store: any CommunityStore = kind == "json" ? try JSONStore(path: path) : try SQLiteStore(path: path)
            let march = [Self.letter("Ana Lima <ana@example.org>", "a"), Self.letter("Ana Lima <ana@example.org>", "b"),
                         Self.letter("\"Lima, Ana\" <ANA.LIMA@other.example>", "c")]
            try store.importContent(try MailImport.content(march.flatMap { Mbox.messages($0) }, location: list, port: store))
        }
        // Another process, as `agora sync` a month later is.
        let store: any CommunityStore = kind == "json" ? try JSONStore(path: path) : try SQLiteStore(path: path)
        let april = [Self.letter("Ana Lima <ana@example.org>", "d")]
        try store.importContent(try MailImport.content(april.flatMap { Mbox.messages($0) }, location: list, port: store))
        let source = Source.IDRule.mailingList.sourceID(key: Source.key(forLocation: list))
        let profile = try store.member(Source.IDRule.mailingList.memberID("ana@example.org", in: source))
        #expect(profile.member.profile.first { $0.question == "Addresses" }?.answer == "ana.lima@other.example, ana@example.org")
        #expect(profile.member.profile.first { $0.question == "Also writes as" }?.answer == "Lima, Ana")
        #expect(profile.postCount == 4)
        #expect(try store.members(MemberQuery(limit: 10)).count == 1)
    }
}
