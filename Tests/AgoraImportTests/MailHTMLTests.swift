import AgoraImport
@testable import AgoraKit
import Foundation
import Testing

/// A list's messages are read without a parser when their HTML is only paragraphs, line
/// breaks and quotes: what that reading gives must be what the parser gives, body for body.
@Suite("Mail bodies read without a parser")
struct MailHTMLTests {
    /// The bodies of both mail fixtures, as the import makes them, and cases at the edges.
    static func bodies() throws -> [String] {
        var bodies: [String] = []
        for (name, listserv) in [("pipermail-bigbang-dev.txt", false), ("listserv-export-3gpp-ran4.mbox", true)] {
            let data = try Data(contentsOf: Fixtures.mail.appendingPathComponent(name))
            let content = MailImport.content(listserv ? Mbox.listservMessages(data) : Mbox.messages(data), location: "/m/" + name)
            bodies += content.posts.map(\.body) + content.comments.map(\.body)
        }
        let quoted = "From: a\nSubject: s\n\nAgreed &amp; noted.\n\nOn Mon, Ana wrote:\n> one <two>\n> > deeper\n>\n> back\n\n-- \nAna\nDiplo\n"
        bodies += MailImport.content([Data(quoted.utf8)], location: "/m/q").posts.map(\.body)
        return bodies + [
            "<p>a</p>\n<p>b</p>", " <p> spaced  out </p> ", "<p>one<br>two<br></p>", "<p>x<br> y</p>", "text outside",
            "<blockquote>bare</blockquote><p>after</p>", "<blockquote><blockquote><p>two deep</p></blockquote></blockquote>",
            "<p></p><p>&lt;&gt;&amp;</p>", "<p>tab\there</p>", "<p>a</p><br><p>b</p>", "</p>stray close",
        ]
    }

    @Test func what_the_parser_less_reading_gives_is_what_the_parser_gives() throws {
        let bodies = try Self.bodies()
        var read = 0
        for html in bodies {
            guard let fast = HTMLRenderer.paragraphs(html) else { continue }
            read += 1
            #expect(fast == HTMLRenderer.parsed(html), "\(html)")
        }
        // Every body here but those that list attachments (links, for the parser) is read this way.
        #expect(read == bodies.filter { !$0.contains("<ul>") }.count && read > 10, "\(read) of \(bodies.count)")
    }

    @Test func anything_else_goes_to_the_parser() {
        for html in ["<p>a <b>b</b></p>", "<p>&nbsp;</p>", "<p>a > b</p>", "<p>\u{1B}[31mred</p>", "<blockquote>open",
                     "<P>upper</P>", "<p class=x>y</p>", "<ul><li>attachment</li></ul>", "</blockquote>"] {
            #expect(HTMLRenderer.paragraphs(html) == nil, "\(html)")
        }
    }
}
