import AgoraKit
import Foundation
import Testing

/// What users saw and could not act on, each said so that they can.
@Suite("messages a user can act on")
struct PlainWordsTests {
    let agora = AgoraBinary()

    @Test func a_json_feed_that_gives_its_version_as_a_number_is_a_feed() throws {
        defer { agora.remove() }
        let file = agora.file("gofeed.json")
        try """
        {"version": "1.0", "title": "A JSON feed", "home_page_url": "https://example.org/",
         "items": [{"id": "1", "title": "Vec<T> in Rust", "content_text": "Body", "url": "https://example.org/1"}]}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let cache = agora.file("c.sqlite")
        let imported = try agora.run(["--cache", cache, "import", file])
        #expect(imported.status == 0, "\(imported.stderr)")
        let listed = try agora.run(["--cache", cache, "list", "--json"])
        #expect(listed.stdout.contains("\"title\" : \"Vec<T> in Rust\""), "\(listed.stdout)")
    }

    @Test func escaped_angle_brackets_in_a_feed_title_reach_list_show_and_json() throws {
        defer { agora.remove() }
        let file = agora.file("rust.xml")
        try """
        <?xml version="1.0"?><rss version="2.0"><channel><title>Rust</title><link>https://example.org/</link>
        <item><guid>v</guid><title>Vec&lt;T&gt; vs Array&lt;Element&gt;</title><description>Body</description></item></channel></rss>
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let cache = agora.file("c.sqlite")
        #expect(try agora.run(["--cache", cache, "import", file]).status == 0)
        #expect(try agora.run(["--cache", cache, "list"]).stdout.contains("Vec<T> vs Array<Element>"))
        #expect(try agora.run(["--cache", cache, "list", "--json"]).stdout.contains("Vec<T> vs Array<Element>"))
        #expect(try agora.run(["--cache", cache, "show", "example-org:v"]).stdout.contains("Vec<T> vs Array<Element>"))
    }

    @Test func a_negative_limit_or_offset_is_named_and_a_limit_of_zero_counts() throws {
        defer { agora.remove() }
        let cache = agora.file("c.sqlite")
        #expect(try agora.run(["--cache", cache, "import", "--sample"]).status == 0)
        for (command, option) in [(["list"], "--limit"), (["list"], "--offset"), (["search", "itu"], "--offset"), (["members"], "--limit")] {
            let result = try agora.run(["--cache", cache] + command + [option, "-1"])
            #expect(result.status == 64 || result.status == 2 || result.status == 1, "\(command) \(option): exit \(result.status)")
            #expect(result.stderr.contains("\(option) must be 0 or more"), "\(command) \(option): \(result.stderr)")
        }
        let counted = try agora.run(["--cache", cache, "list", "--limit", "0"])
        #expect(counted.status == 0)
        #expect(counted.stdout == "1 post, 1 unread\n", "\(counted.stdout)")
    }
}
