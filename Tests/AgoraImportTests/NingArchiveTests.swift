@testable import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// A Ning archive written the way the archiver writes them, quirks and all.
enum NingFixture {
    static let members = """
        ([{"contributorName":"jane1","fullName":"Jane Example","email":"jane.secret@example.org/","createdDate":"2009-10-31T10:30:00.000Z",
          "location":"Nairobi","country":"KE","profilePhoto":"members/jane1-photo.jpg?width=96&height=96",
          "profileQuestions":{"About Me":"<p>I work on <b>internet governance</b>.</p>","Organization &amp; role":"Diplo, fellow","Empty":""},
          "level":"owner admin","state":"active",
          "comments":[{"contributorName":"mari2","description":"Welcome back, Jane!","createdDate":"2010-01-02T00:00:00.000Z"},
                      {"contributorName":"mari2","description":"<p>Hello Jane</p>","createdDate":"2010-01-01T00:00:00.000Z"}]}
        {"contributorName":"mari2","fullName":"Marília Maciel","email":"m@example.org","country":"BR","level":"member","state":"suspended",
         "createdDate":"2010-03-01T00:00:00.000Z"}]{"contributorName":"xu3","fullName":"Xu Jing (徐静)","country":"CN","level":"moderator","state":"left"}
        ,{"contributorName":"ci4","fullName":"Aïcha Koné","country":"CI","state":"pending","profilePhoto":"../../../etc/passwd"}
        ]])
        """

    /// Newest first, as the archiver writes; the second object follows without a comma, the
    /// third after `}[{`; a draft; a title with HTML escapes.
    static let blogsLocal = """
        ([{"id":"2332551:BlogPost:3","title":"Draft","description":"<p>not yet</p>","contributorName":"jane1",
           "createdDate":"2012-12-20T10:00:00.000Z","publishStatus":"draft"},
          {"id":"2332551:BlogPost:2","title":"ITU &amp; the &quot;WCIT&quot;","description":"<p>See <a href=\\"blogs/2-file.pdf\\">the file</a>, <a href=\\"../../../etc/passwd\\">this</a> and <a href=\\"https://www.itu.int/\\">ITU</a>.</p>",
           "contributorName":"mari2","createdDate":"2012-12-18T10:00:00.000Z","publishTime":"2012-12-18T09:00:00Z","publishStatus":"publish",
           "comments":[{"id":"2332551:Comment:11","contributorName":"jane1","description":"newer comment","createdDate":"2012-12-19T10:00:00.000Z"},
                       {"id":"2332551:Comment:10","contributorName":"mari2","description":"older comment","createdDate":"2012-12-18T11:00:00.000Z",
                        "fileAttachments":["blogs/10-reply.doc"]}]}{"id":"2332551:BlogPost:1","title":"First {post} with }{ inside","description":"<p>Hello [world]</p>",
           "contributorName":"jane1","createdDate":"2012-12-17T10:00:00.000Z","publishStatus":"publish",
           "fileAttachments":["blogs/1-doc.pdf","/etc/shadow"]}][{"id":"2332551:BlogPost:0","title":"Zeroth","description":"<p>z</p>",
           "contributorName":"ghost9","createdDate":"2012-12-01T10:00:00.000Z"}]])
        """

    /// The plain file holds absolute URLs; the -local one must win.
    static let blogsPlain = """
        ([{"id":"2332551:BlogPost:99","title":"Only in the plain file","description":"x","contributorName":"jane1","createdDate":"2012-12-17T10:00:00.000Z"}])
        """

    static let discussions = """
        ([{"id":"2332551:Topic:7","title":"Who should be on the MAG?","description":"<p>Thoughts?</p>","contributorName":"xu3",
           "createdDate":"2011-05-01T10:00:00.000Z","updatedDate":"2011-05-03T10:00:00.000Z","category":"Internet Governance",
           "groupId":"2332551:Group:5","comments":[{"id":"2332551:Comment:20","contributorName":"jane1","description":"Me!","createdDate":"2011-05-02T10:00:00.000Z"}]},
          {"id":"2332551:Topic:6","title":"Uncategorised","description":"<p>x</p>","contributorName":"jane1","createdDate":"2011-04-01T10:00:00.000Z","category":"Uncategorized"}])
        """

    static let pages = """
        ([{"id":"2332551:Page:1","title":"Terms of use","description":"<p>Be kind.</p>","contributorName":"jane1","createdDate":"2009-11-01T10:00:00.000Z"}])
        """

    static let groups = """
        ([{"id":"2332551:Group:5","title":"IG in Africa","description":"<p>A group.</p>","contributorName":"jane1","createdDate":"2010-06-01T10:00:00.000Z",
           "groupPrivacy":"public","members":[{"contributorName":"jane1","status":"admin"},{"contributorName":"xu3","status":"member"}],
           "comments":[{"contributorName":"xu3","description":"Glad to join","createdDate":"2010-06-03T10:00:00.000Z"},
                       {"contributorName":"jane1","description":"Welcome all","createdDate":"2010-06-02T10:00:00.000Z"}]}])
        """

    static let events = """
        ([{"id":"2332551:Event:4","title":"IGF 2012 meetup","description":"<p>Come along.</p>","contributorName":"mari2",
           "createdDate":"2012-10-01T10:00:00.000Z","startDate":"2012-11-06T18:00:00.000Z","endDate":"2012-11-06T20:00:00.000Z",
           "location":"Baku Expo Center","city":"Baku","organizedBy":"Diplo","members":[{"contributorName":"jane1","attendeeStatus":"attending"}]}])
        """

    static let photos = """
        ([{"id":"2332551:Photo:8","title":"The panel","description":"<p>Day one.</p>","contributorName":"xu3","createdDate":"2012-11-07T10:00:00.000Z",
           "photoUrl":"photos/8-panel.jpg?width=737","comments":[{"id":"2332551:Comment:30","contributorName":"mari2","description":"Great photo","createdDate":"2012-11-08T10:00:00.000Z"}]}])
        """

    static let videos = """
        ([{"id":"2332551:Video:9","title":"Opening session","contributorName":"jane1","createdDate":"2012-11-06T10:00:00.000Z",
           "embedCode":"<iframe width=\\"420\\" src=\\"//www.youtube.com/embed/abc123\\"></iframe>"}])
        """

    /// Writes the whole archive into `folder` inside `directory`.
    static func write(into directory: TemporaryDirectory, folder: String = "diplo-archive") -> String {
        directory.write("\(folder)/ning-members-local.json", members)
        directory.write("\(folder)/ning-blogs.json", blogsPlain)
        directory.write("\(folder)/ning-blogs-local.json", blogsLocal)
        directory.write("\(folder)/ning-discussions-local.json", discussions)
        directory.write("\(folder)/ning-pages-local.json", pages)
        directory.write("\(folder)/ning-groups-local.json", groups)
        directory.write("\(folder)/ning-events.json", events)
        directory.write("\(folder)/ning-photos-local.json", photos)
        directory.write("\(folder)/ning-videos-local.json", videos)
        directory.write("\(folder)/ning-music-local.json", #"([{"contributorName":"jane1","title":"Song","audioUrl":"music/1-song.mp3"}])"#)
        directory.write("\(folder)/blogs/2-file.pdf", "%PDF")
        directory.write("\(folder)/blogs/1-doc.pdf", "%PDF")
        directory.write("\(folder)/photos/8-panel.jpg", "JPEG")
        return directory.file(folder)
    }

    static var allFiles: [(String, String)] {
        [("ning-members-local.json", members), ("ning-blogs.json", blogsPlain), ("ning-blogs-local.json", blogsLocal),
         ("ning-discussions-local.json", discussions), ("ning-pages-local.json", pages), ("ning-groups-local.json", groups),
         ("ning-events.json", events), ("ning-photos-local.json", photos), ("ning-videos-local.json", videos)]
    }
}

@Suite("Ning archives")
struct NingArchiveTests {
    func plan(_ path: String) throws -> ImportPlan { try NingArchive(path: path).read() }

    func post(_ plan: ImportPlan, _ id: String) throws -> Post {
        try #require(plan.content.posts.first { $0.id.rawValue == id })
    }

    func member(_ plan: ImportPlan, _ id: String) throws -> Member {
        try #require(plan.content.members.first { $0.id.rawValue == id })
    }

    @Test func members_keep_names_countries_levels_states_profiles_and_walls_but_no_email() throws {
        let dir = TemporaryDirectory()
        let plan = try plan(NingFixture.write(into: dir))
        let jane = try member(plan, "jane1")
        #expect(jane.name == "Jane Example")
        #expect(jane.country == "Kenya" && jane.countryCode == "KE")
        #expect(jane.location == "Nairobi")
        #expect(jane.role == .owner)  // "owner admin": the highest word
        #expect(jane.state == .active)
        #expect(jane.joined == ISODate.parse("2009-10-31T10:30:00.000Z"))
        #expect(jane.bio == "<p>I work on <b>internet governance</b>.</p>")
        #expect(jane.profile == [.init(question: "Organization & role", answer: "Diplo, fellow")])
        #expect(jane.avatarPath == "members/jane1-photo.jpg")
        // The wall, oldest first, authors resolved through contributorName.
        #expect(jane.wall.map(\.body) == ["<p>Hello Jane</p>", "Welcome back, Jane!"])
        #expect(jane.wall.map(\.authorName) == ["Marília Maciel", "Marília Maciel"])
        #expect(jane.wall.map(\.author) == [Member.ID("mari2"), Member.ID("mari2")])

        let mari = try member(plan, "mari2")
        #expect(mari.state == .suspended && mari.role == .member && mari.country == "Brazil")
        let xu = try member(plan, "xu3")
        #expect(xu.state == .left && xu.role == .moderator && xu.country == "China")
        let aicha = try member(plan, "ci4")
        #expect(aicha.state == .pending && aicha.country == "Côte d’Ivoire")
        #expect(aicha.avatarPath == nil)  // ../../../etc/passwd leaves the archive

        // Emails are never kept, anywhere.
        let exported = try CacheFile(plan.content).encoded()
        #expect(!String(decoding: exported, as: UTF8.self).contains("example.org"))
    }

    @Test func every_quirk_of_the_container_is_read_through() throws {
        let dir = TemporaryDirectory()
        let plan = try plan(NingFixture.write(into: dir))
        // Missing comma, }[{, ]] at the end, braces inside strings: every record is there.
        let blogIDs = Set(plan.content.posts.filter { $0.kind == .blogPost }.map(\.id.rawValue))
        #expect(blogIDs == ["2332551:BlogPost:0", "2332551:BlogPost:1", "2332551:BlogPost:2"])
        // The -local file won over the plain one.
        #expect(!blogIDs.contains("2332551:BlogPost:99"))
        #expect(try post(plan, "2332551:BlogPost:1").title == "First {post} with }{ inside")
        // HTML-escaped titles.
        #expect(try post(plan, "2332551:BlogPost:2").title == "ITU & the \"WCIT\"")
        // The draft is left out, and said so.
        #expect(!plan.content.posts.contains { $0.id.rawValue == "2332551:BlogPost:3" })
        #expect(plan.notes.contains("1 draft left out (not published)"))
        #expect(plan.notes.contains { $0.hasPrefix("ning-music-local.json: 1 record skipped") })
    }

    @Test func posts_of_every_kind_with_authors_dates_and_comments_oldest_first() throws {
        let dir = TemporaryDirectory()
        let plan = try plan(NingFixture.write(into: dir))
        let blog = try post(plan, "2332551:BlogPost:2")
        #expect(blog.kind == .blogPost)
        #expect(blog.author == "mari2" && blog.authorName == "Marília Maciel")
        #expect(blog.published == ISODate.parse("2012-12-18T09:00:00Z"))  // publishTime wins over createdDate
        let comments = plan.content.comments.filter { $0.post == blog.id }
        #expect(comments.map(\.id.rawValue) == ["2332551:Comment:10", "2332551:Comment:11"])
        #expect(comments.map(\.authorName) == ["Marília Maciel", "Jane Example"])

        let topic = try post(plan, "2332551:Topic:7")
        #expect(topic.kind == .discussion && topic.category == "Internet Governance")
        #expect(topic.updated == ISODate.parse("2011-05-03T10:00:00.000Z"))
        #expect(try post(plan, "2332551:Topic:6").category == nil)  // "Uncategorized" is no category
        #expect(try post(plan, "2332551:Page:1").kind == .page)

        let group = try post(plan, "2332551:Group:5")
        #expect(group.kind == .group && group.body.contains("2 members"))
        let wall = plan.content.comments.filter { $0.post == group.id }
        #expect(wall.map(\.body) == ["Welcome all", "Glad to join"])
        #expect(wall.map(\.id.rawValue) == ["2332551:Group:5:comment:1", "2332551:Group:5:comment:2"])

        let event = try post(plan, "2332551:Event:4")
        #expect(event.kind == .event)
        #expect(event.body.contains("Where: Baku Expo Center, Baku") && event.body.contains("Organised by: Diplo"))

        let photo = try post(plan, "2332551:Photo:8")
        #expect(photo.kind == .photo)
        let photoURL = URL(fileURLWithPath: dir.file("diplo-archive/photos/8-panel.jpg")).standardizedFileURL.absoluteString
        #expect(photo.body.contains(photoURL))
        #expect(plan.content.comments.contains { $0.post == photo.id && $0.body == "Great photo" })

        let video = try post(plan, "2332551:Video:9")
        #expect(video.kind == .video && video.link == "https://www.youtube.com/embed/abc123")

        // An author with no member record keeps the screen name as the name.
        #expect(try post(plan, "2332551:BlogPost:0").authorName == "ghost9")
    }

    @Test func file_paths_never_resolve_outside_the_archive() throws {
        let dir = TemporaryDirectory()
        let folder = NingFixture.write(into: dir)
        // A link inside the archive that points out of it.
        try FileManager.default.createSymbolicLink(atPath: folder + "/blogs/escape", withDestinationPath: "/etc")
        dir.write("diplo-archive/ning-pages-local.json", """
            ([{"id":"p:1","title":"Links","description":"<a href=\\"blogs/escape/passwd\\">a</a> <img src=\\"blogs/1-doc.pdf\\">","contributorName":"jane1"}])
            """)
        let plan = try plan(folder)
        let blog = try post(plan, "2332551:BlogPost:2")
        let inside = URL(fileURLWithPath: folder).standardizedFileURL.appendingPathComponent("blogs/2-file.pdf").absoluteString
        #expect(blog.body.contains("href=\"\(inside)\""))
        #expect(blog.body.contains("href=\"#\">this</a>"))   // ../../../etc/passwd
        #expect(blog.body.contains("https://www.itu.int/"))  // URLs are left alone
        let first = try post(plan, "2332551:BlogPost:1")
        #expect(first.body.contains("1-doc.pdf") && !first.body.contains("shadow"))
        let page = try post(plan, "p:1")
        #expect(!page.body.contains("escape/passwd") && page.body.contains("href=\"#\""))
        for post in plan.content.posts {
            #expect(!post.body.contains("/etc/"), "\(post.id) points outside the archive")
        }
        #expect(plan.notes.contains { $0.contains("pointed outside the archive") })
    }

    @Test func bytes_that_are_not_utf8_are_read_as_windows_1252_and_counted() throws {
        let dir = TemporaryDirectory()
        var bytes = Data(#"([{"contributorName":"a1","fullName":"Ren"#.utf8)
        bytes.append(0xE9)  // é in Windows-1252
        bytes.append(contentsOf: Array(#" Dupr"#.utf8) + [0xE9] + Array(#"","country":"FR"},{"contributorName":"b2","fullName":"Bo"}])"#.utf8))
        let path = dir.write("a/ning-members.json", bytes)
        let plan = try plan(path)
        #expect(try member(plan, "a1").name == "René Dupré")
        #expect(try member(plan, "b2").name == "Bo")
        #expect(plan.notes.contains("1 record was not UTF-8 and was read as Windows-1252"))
    }

    @Test func a_zip_reads_the_same_as_the_folder() throws {
        let dir = TemporaryDirectory()
        let folderPlan = try plan(NingFixture.write(into: dir))
        var zip = ZipWriter()
        for (index, (name, text)) in NingFixture.allFiles.enumerated() {
            zip.add("diplo-archive/" + name, Data(text.utf8), deflate: index % 2 == 0)
        }
        zip.add("diplo-archive/blogs/2-file.pdf", Data("%PDF".utf8))
        let path = dir.write("diplo-archive.zip", zip.data)
        #expect(SourceKindTable.standard.recognise(try Data(contentsOf: URL(fileURLWithPath: path)), name: path)?.format == "ning")
        let zipPlan = try plan(path)
        #expect(zipPlan.content.members == folderPlan.content.members)
        #expect(zipPlan.content.comments.map(\.id) == folderPlan.content.comments.map(\.id))
        #expect(zipPlan.content.posts.map(\.id) == folderPlan.content.posts.map(\.id))
        #expect(zipPlan.content.posts.map(\.title) == folderPlan.content.posts.map(\.title))
        // Media stay inside the zip: named, not linked to the disk.
        #expect(try post(zipPlan, "2332551:Photo:8").body.contains("photos/8-panel.jpg (in the archive)"))
    }

    @Test func a_single_file_is_read_on_its_own() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("loose/ning-discussions.json", NingFixture.discussions)
        #expect(SourceKindTable.standard.recognise(Data(NingFixture.discussions.utf8), name: path)?.format == "ning")
        let plan = try plan(path)
        #expect(plan.content.posts.map(\.id.rawValue).sorted() == ["2332551:Topic:6", "2332551:Topic:7"])
        #expect(plan.content.members.isEmpty)
        #expect(plan.content.sources.first?.kind == .ningArchive)
    }

    @Test(arguments: [
        ("([{\"contributorName\":\"a\"},\n {\"contributorName\": }])", 2, 22, 2),
        ("([{\"contributorName\":\"a\"},\n {\"contributorName\":\"b\"", 2, 2, 2),
        ("([{\"contributorName\":\"a\"}, 42])", 1, 28, nil),
        ("([{\"fullName\":\"No id\"}])", 1, nil, 1),
    ] as [(String, Int, Int?, Int?)])
    func a_broken_record_is_named_by_file_line_and_record(text: String, line: Int, column: Int?, record: Int?) throws {
        let dir = TemporaryDirectory()
        let path = dir.write("broken/ning-members.json", text)
        do {
            _ = try plan(path)
            Issue.record("no error for \(text)")
        } catch let error as AgoraError {
            guard case .badInput(let place, _) = error else { Issue.record("not bad input: \(error)"); return }
            #expect(place.path.hasSuffix("ning-members.json"), "\(error)")
            #expect(place.line == line && place.column == column && place.record == record, "\(error)")
        }
    }

    @Test func a_feed_and_an_archive_of_one_community_meet_on_the_same_post() throws {
        let dir = TemporaryDirectory()
        let archive = try plan(NingFixture.write(into: dir))
        let atom = """
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Blog Posts - Diplo</title>
            <entry><title>ITU &amp; the "WCIT"</title><id>tag:www.diplointernetgovernance.org,2012-12-18:2332551:BlogPost:2</id>
            <link rel="alternate" href="http://www.diplointernetgovernance.org/xn/detail/2332551:BlogPost:2"/>
            <updated>2012-12-18T10:00:00.000Z</updated><author><name>Marília Maciel</name></author>
            <summary type="html">&lt;p&gt;See the file&lt;/p&gt;</summary></entry></feed>
            """
        let feed = FeedImport.content(try FeedParser.parse(Data(atom.utf8), path: "blog.atom"), location: "http://www.diplointernetgovernance.org/profiles/blog/feed")
        #expect(feed.posts.map(\.id) == [Post.ID("2332551:BlogPost:2")])
        for kind in ["sqlite", "json"] {
            let store: any CommunityStore = kind == "json" ? try JSONStore(path: dir.file("c.json")) : try SQLiteStore(path: dir.file("c.sqlite"))
            try store.importContent(archive.content)
            try store.setRead(true, posts: ["2332551:BlogPost:2"])
            let before = try store.statistics().posts
            let summary = try store.importContent(feed)
            #expect(summary.posts.added == 0 && summary.posts.updated == 1, "\(kind)")
            #expect(try store.statistics().posts == before, "\(kind)")
            #expect(try store.post("2332551:BlogPost:2").state.read, "\(kind)")
        }
    }

    @Test(arguments: ["sqlite", "json"])
    func reimporting_an_archive_changes_nothing_and_keeps_reader_state(kind: String) throws {
        let dir = TemporaryDirectory()
        let plan = try plan(NingFixture.write(into: dir))
        let store: any CommunityStore = kind == "json" ? try JSONStore(path: dir.file("c.json")) : try SQLiteStore(path: dir.file("c.sqlite"))
        let first = try store.importContent(plan.content)
        #expect(first.posts.added == plan.content.posts.count && first.members.added == 4)
        try store.setRead(true, posts: ["2332551:Topic:7"])
        try store.setStarred(true, posts: ["2332551:Event:4"])
        let again = try store.importContent(try self.plan(dir.file("diplo-archive")).content)
        #expect(again.posts.added == 0 && again.posts.updated == 0 && again.posts.unchanged == plan.content.posts.count)
        #expect(again.comments.added == 0 && again.members.added == 0 && again.members.updated == 0)
        #expect(try store.post("2332551:Topic:7").state.read)
        #expect(try store.post("2332551:Event:4").state.starred)
        #expect(try store.member("jane1").member.wall.count == 2)
        let detail = try store.post("2332551:BlogPost:2")
        #expect(detail.comments.map { String($0.comment.body.prefix(13)) } == ["older comment", "newer comment"])
    }
}
