import AgoraApp
import AgoraKit
import AgoraTUI
import AgoraTestSupport
import Foundation
import Testing
import TerminalCore

/// M in the reader: the member in view is muted, their posts leave the list (the title says how
/// many are hidden), their comments become "1 hidden" in the thread; M on them again unmutes.
@Suite("Muting in the reader")
struct MuteReaderTests {
    static let content = MuteFixture.content

    @Test func M_hides_the_commenter_everywhere_and_M_again_brings_them_back() throws {
        let reader = try Harness(width: 120, height: 40, content: Self.content)
        #expect(reader.state.posts.total == 10)
        // p4 is the sixth newest; its first comment is Ana's.
        reader.type("jjjjj")
        reader.press(.enter)
        guard case .article(let article) = reader.state.detail else { Issue.record("no article"); return }
        #expect(article.id == "p4")
        // ] stops on each name of who commented, then on each comment: Ana's is the third stop.
        reader.type("]]]")
        #expect(reader.screen.contains("Words from Ana"))
        reader.type("M")
        #expect(reader.state.message?.hasPrefix("Muted Ana Lima") == true)
        #expect(reader.state.posts.total == 6)
        #expect(reader.screen.contains("Posts 5/6 unread · 4 hidden"))
        #expect(!reader.screen.contains("Words from Ana"))
        #expect(reader.screen.contains("1 hidden (a muted member's comment)"))
        #expect(reader.screen.contains("Comments (2, 1 hidden)"))
        #expect(reader.screen.contains("1 comment from 1 member: Bo Chen (1)"))
        #expect(reader.screen.contains("Bo answers"))
        // Search does not find them either.
        reader.type("/routing")
        #expect(reader.state.search?.results.totals[.posts] == 6)
        reader.press(.escape)
        // a on the hidden comment: the profile says the member is muted; M there unmutes.
        reader.type("a")
        guard case .profile(let profile) = reader.state.detail else { Issue.record("no profile"); return }
        #expect(profile.profile.member.id == "ana")
        #expect(reader.screen.contains("Muted: hidden everywhere but here."))
        reader.type("M")
        #expect(reader.state.message == "Unmuted Ana Lima.")
        #expect(reader.state.posts.total == 10)
        #expect(!reader.screen.contains("Muted: hidden"))
        reader.press(.escape)
        #expect(reader.screen.contains("Words from Ana"))
        #expect(!reader.screen.contains("hidden"))
    }

    @Test func the_names_of_who_commented_can_be_chosen_and_opened() throws {
        let reader = try Harness(width: 120, height: 40, content: Self.content)
        reader.type("jjjjj")
        reader.press(.enter)
        reader.type("]")
        guard case .article(let article) = reader.state.detail else { Issue.record("no article"); return }
        #expect(article.chosenMember == "ana" && article.currentComment == nil)
        // The chosen name is reversed on the line, and only it.
        let frame = reader.frame
        let row = try #require(frame.lines.firstIndex { $0.contains("2 comments from 2 members: ") })
        let line = frame.lines[row]
        let start = try #require(line.range(of: "Ana Lima (1)")).lowerBound
        let column = DisplayWidth.of(String(line[..<start]))
        #expect(frame[column, row].style.attributes.contains(.reverse))
        #expect(frame[column + 12, row].style.attributes.contains(.reverse) == false)
        reader.type("]")
        guard case .article(let second) = reader.state.detail else { return }
        #expect(second.chosenMember == "bo")
        reader.press(.enter)
        guard case .profile(let profile) = reader.state.detail else { Issue.record("Enter did not open the profile"); return }
        #expect(profile.profile.member.id == "bo")
        reader.press(.escape)
        reader.type("[")
        guard case .article(let back) = reader.state.detail else { return }
        #expect(back.chosenMember == "ana")
        reader.type("a")
        guard case .profile(let ana) = reader.state.detail else { Issue.record("a did not open the profile"); return }
        #expect(ana.profile.member.id == "ana")
    }
}
