@testable import AgoraImport
import AgoraKit
import AgoraTestSupport
import Foundation
import Testing

/// Every trap of ../shared/formats/mail.md, a small case each.
@Suite("Mail: the forms archives come in")
struct MailFormTests {
    static func mbox(_ text: String) -> [MailMessage] { Mbox.messages(Data(text.utf8)).map { MailMessage.parse($0) } }

    @Test func a_message_starts_only_at_a_from_line_after_a_blank_line_that_headers_follow() {
        let messages = Self.mbox("""
            From a@example.org Thu Nov  1 11:19:12 2001
            From: a@example.org
            Subject: one

            From here on, the body says something.

            From the minutes: nothing else
            >From a quoted line
            >>From a quoted quote

            From b@example.org Thu Nov  1 12:00:00 2001
            From: b@example.org
            Subject: two

            Body two.

            """)
        #expect(messages.map { $0.header("subject") } == ["one", "two"])
        #expect(messages[0].body.contains("From here on, the body says something."))
        #expect(messages[0].body.contains("From the minutes: nothing else"))
        #expect(messages[0].body.contains("\nFrom a quoted line\n>From a quoted quote"))
        #expect(Mbox.looksLikeMbox(Data("From x Thu Nov  1 11:19:12 2001\nFrom: x\n".utf8)))
        #expect(!Mbox.looksLikeMbox(Data("From here on\nit is prose\n".utf8)))
    }

    @Test func an_mbox_read_a_piece_at_a_time_is_the_same_messages_wherever_the_pieces_break() {
        let text = (1...4).map { n in
            "From a Thu Nov  1 11:19:12 2001\nFrom: a@example.org\nSubject: \(n)\n\nBody \(n).\n>From quoted\n\nFrom here on, prose.\n\n"
        }.joined()
        let whole = Mbox.messages(Data(text.utf8))
        #expect(whole.count == 4)
        let bytes = Data(text.utf8)
        for size in [1, 7, 33, 64, 100, 1_000] {
            var carry = Data()
            var read: [Data] = []
            var offset = 0
            while true {
                let piece = bytes[offset..<min(bytes.count, offset + size)]
                offset += piece.count
                carry.append(contentsOf: piece)
                let (messages, rest) = Mbox.split(carry, final: piece.isEmpty)
                read += messages
                carry = rest
                if piece.isEmpty { break }
            }
            #expect(read.map { Array($0) } == whole.map { Array($0) }, "pieces of \(size) bytes")
        }
    }

    /// The import reads an archive's headers first and its bodies again later, from where each
    /// message is in the file: wherever the pieces break, the bodies are the messages' own, a
    /// `>From ` line unquoted.
    @Test func bodies_read_again_from_the_file_are_the_messages_wherever_the_pieces_break() throws {
        let text = (1...5).map { n in
            "From a Thu Nov  1 11:19:12 2001\nFrom: a@example.org\nMessage-ID: <m\(n)@x>\nSubject: \(n)\n"
                + (n > 1 ? "In-Reply-To: <m\(n - 1)@x>\n" : "") + "\nBody \(n).\n>From quoted \(n)\n\nFrom here on, prose.\n\n"
        }.joined()
        let path = NSTemporaryDirectory() + "agora-pieces-\(UUID().uuidString).mbox"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let whole = MailImport.content(Mbox.messages(Data(text.utf8)), location: path)
        #expect(whole.posts.count == 1 && whole.comments.count == 4)
        #expect(whole.comments.last?.body.contains("From quoted 5") == true && whole.comments.last?.body.contains("&gt;From") == false)
        for size in [1, 7, 33, 100, 100_000] {
            let letters = try MailArchive.letters(ofFile: path, index: 0, orderBase: 0, pieceSize: size)
            let plan = MailImport.plan(MailImport.ordered(letters), location: path, listName: nil)
            #expect(plan.content.comments.allSatisfy { $0.body.isEmpty }, "bodies wait for their turn")
            let read = try MailImport.filled(plan, files: MailFiles([path]))
            #expect(read.posts.map(\.body) == whole.posts.map(\.body), "pieces of \(size) bytes")
            #expect(read.comments.map(\.body) == whole.comments.map(\.body), "pieces of \(size) bytes")
            #expect(read.comments.map(\.parent) == whole.comments.map(\.parent), "pieces of \(size) bytes")
        }
    }

    /// A file that is shorter when its bodies are read than when its headers were (changed
    /// under the import) is an error that names it, not a message cut short.
    @Test func an_archive_that_changes_while_it_is_imported_is_said() throws {
        let path = NSTemporaryDirectory() + "agora-changed-\(UUID().uuidString).mbox"
        try Data("From a Thu Nov  1 11:19:12 2001\nFrom: a@example.org\nSubject: s\n\nBody.\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let letters = try MailArchive.letters(ofFile: path, index: 0, orderBase: 0)
        try Data("From a".utf8).write(to: URL(fileURLWithPath: path))
        let plan = MailImport.plan(letters, location: path, listName: nil)
        #expect {
            try MailImport.filled(plan, files: MailFiles([path]))
        } throws: { error in
            AgoraError.words(for: error).contains(path) && AgoraError.words(for: error).contains("changed")
        }
    }

    @Test func headers_unfold_their_names_are_any_case_and_encoded_words_are_read() {
        let message = MailMessage.parse(Data("""
            SUBJECT: =?utf-8?q?Toftg=C3=A5rd?= =?ISO-8859-1?B?5g==?= and
             a folded line
            from: =?utf-8?b?5bq35bqt57at?= <x@example.org>

            Body.
            """.utf8))
        #expect(message.header("subject") == "Toftgårdæ and a folded line")
        #expect(message.header("from") == "康庭維 <x@example.org>")
        #expect(EncodedWords.decode("=?UTF-8?Q?Jos=C3=A9_Mar=C3=ADa?=") == "José María")
        #expect(EncodedWords.decode("not =?encoded") == "not =?encoded")
        // A raw 8-bit header in Latin-1.
        var latin = Data("Subject: Caf".utf8)
        latin.append(0xE9)
        latin.append(contentsOf: Array("\n\nx".utf8))
        #expect(MailMessage.parse(latin).header("subject") == "Café")
    }

    @Test func transfer_encodings_and_charsets_are_undone_and_a_wrong_charset_is_guessed() {
        func body(_ headers: String, _ bytes: [UInt8]) -> String {
            MailMessage.parse(Data(Array((headers + "\n\n").utf8) + bytes)).body
        }
        #expect(body("Content-Transfer-Encoding: quoted-printable\nContent-Type: text/plain; charset=utf-8",
                     Array("caf=C3=A9 is a soft=\n break".utf8)) == "café is a soft break")
        #expect(body("Content-Transfer-Encoding: base64", Array("aGVsbG8g\nd29ybGQ=".utf8)) == "hello world")
        #expect(body("Content-Type: text/plain; charset=iso-8859-1", [0x63, 0x61, 0x66, 0xE9]) == "café")
        #expect(body("Content-Type: text/plain; charset=koi8-r", [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]) == "Привет")
        #expect(body("Content-Type: text/plain; charset=shift_jis", [0x93, 0xFA, 0x96, 0x7B]) == "日本")
        #expect(body("Content-Type: text/plain; charset=iso-2022-jp", [0x1B, 0x24, 0x42, 0x46, 0x7C, 0x4B, 0x5C, 0x1B, 0x28, 0x42]) == "日本")
        #expect(body("Content-Type: text/plain; charset=gb2312", [0xC4, 0xE3, 0xBA, 0xC3]) == "你好")
        #expect(body("Content-Type: text/plain; charset=big5", [0xA7, 0x41, 0xA6, 0x6E]) == "你好")
        // Said to be UTF-8, written in Windows-1252; a charset no one knows.
        #expect(body("Content-Type: text/plain; charset=utf-8", [0x93, 0x71, 0x94]) == "\u{201C}q\u{201D}")
        #expect(body("Content-Type: text/plain; charset=x-unheard-of", Array("plain".utf8)) == "plain")
        #expect(body("Content-Type: text/plain; charset=x-unheard-of", [0x63, 0xE9]) == "cé")
    }

    @Test func the_text_part_is_read_and_the_others_are_attachments() {
        let alternative = MailMessage.parse(Data("""
            Content-Type: multipart/alternative; boundary="b1"

            --b1
            Content-Type: text/html

            <p>HTML</p>
            --b1
            Content-Type: text/plain

            Plain.
            --b1--
            """.utf8))
        #expect(alternative.body == "Plain." && !alternative.bodyIsHTML)
        let htmlOnly = MailMessage.parse(Data("Content-Type: text/html; charset=utf-8\n\n<p>Only HTML</p>".utf8))
        #expect(htmlOnly.bodyIsHTML && htmlOnly.body == "<p>Only HTML</p>")
        let mixed = MailMessage.parse(Data("""
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: text/plain

            See the statement.
            --outer
            Content-Type: application/pdf; name="statement.pdf"
            Content-Disposition: attachment; filename="statement.pdf"
            Content-Transfer-Encoding: base64

            JVBERi0xLjQK
            --outer--
            """.utf8))
        #expect(mixed.body == "See the statement.")
        #expect(mixed.attachments == [MailMessage.Attachment(name: "statement.pdf", type: "application/pdf", size: 9)])
    }

    @Test func pipermails_scrubbed_parts_become_links() {
        let message = MailMessage.parse(Data("""
            From: a at example.org (A)

            Text.
            -------------- next part --------------
            An HTML attachment was scrubbed...
            URL: <http://lists.example.org/pipermail/l/attachments/1/a.html>
            """.utf8))
        #expect(message.body.trimmingCharacters(in: .whitespacesAndNewlines) == "Text.")
        #expect(message.attachments.first?.url == "http://lists.example.org/pipermail/l/attachments/1/a.html")
    }

    @Test func flowed_text_joins_its_soft_breaks() {
        let message = MailMessage.parse(Data("Content-Type: text/plain; format=flowed\n\nA line that \nflows on.\n> quoted that \n> flows\nHard.\n-- \nSig".utf8))
        #expect(message.body == "A line that flows on.\n> quoted that flows\nHard.\n-- \nSig")
    }

    @Test(arguments: [
        ("Thu, 26 Aug 2021 20:51:14 +0000", 1_630_011_074.0),
        ("26 Aug 2021 20:51:14 +0000", 1_630_011_074.0),
        ("Thu, 26 Aug 21 20:51:14 GMT", 1_630_011_074.0),
        ("Thu, 26 Aug 2021 16:51:14 EDT", 1_630_011_074.0),
        ("Thu, 26 Aug 2021 20:51:14", 1_630_011_074.0),
        ("Thu, 26 Aug 2021 22:51:14 +0200 (CEST)", 1_630_011_074.0),
        ("Thu Aug 26 20:51:14 2021", 1_630_011_074.0),
        ("Thu, 26 Aug 2021 20:51 UT", 1_630_011_060.0),
    ])
    func obsolete_dates_are_read(text: String, seconds: Double) {
        #expect(MailDate.parse(text)?.timeIntervalSince1970 == seconds, "\(text)")
    }

    @Test func senders_are_read_in_every_form() {
        #expect(MailAddress.parse("Jane Doe <Jane.Doe@Example.ORG>") == MailAddress(name: "Jane Doe", address: "jane.doe@example.org"))
        #expect(MailAddress.parse("\"Doe, Jane\" <jane@example.org>") == MailAddress(name: "Doe, Jane", address: "jane@example.org"))
        #expect(MailAddress.parse("jjl at pobox.com (John J. Lee)") == MailAddress(name: "John J. Lee", address: "jjl@pobox.com"))
        #expect(MailAddress.parse("\"Rodriguez-Herrera, Alfonso\"   Alfonso.Rodriguez-Herrera@SPIRENT.COM")
                == MailAddress(name: "Rodriguez-Herrera, Alfonso", address: "alfonso.rodriguez-herrera@spirent.com"))
        #expect(MailAddress.parse("Jane Doe via Governance <governance@lists.example.org>").viaList)
        #expect(MailAddress.parse("user@host....").address == "user@host")
        #expect(MailAddress.nameKey("Maciel, Marília") == MailAddress.nameKey("Marilia MACIEL"))
        #expect(MailAddress.nameKey("Çağla Yıldız") == MailAddress.nameKey("Cagla Yildiz"))
        #expect(MailAddress.nameKey("徐静 (Xu Jing)") == MailAddress.nameKey("徐静"))
    }

    @Test func a_listserv_notebook_log_is_read_by_its_rules_and_aligned_headers() {
        let rule = String(repeating: "=", count: 73)
        let log = """
            \(rule)
            Date:         Thu, 9 Mar 2017 10:00:00 +0000
            Reply-To:     Ana Lima <ana@example.org>
            Sender:       Governance list <GOV@LISTSERV.EXAMPLE.ORG>
            From:         Ana Lima <ana@example.org>
            Subject:      Agenda
            Message-ID:   <a@example.org>

            The agenda.
            \(rule)
            Date:         Fri, 10 Mar 2017 10:00:00 +0000
            From:         Li Ming <li@example.org>
            Subject:      Re: Agenda
            In-Reply-To:  <a@example.org>
            Message-ID:   <b@example.org>

            Agreed.

            """
        let data = Data(log.utf8)
        #expect(Mbox.looksLikeListservLog(data) && !Mbox.looksLikeMbox(data))
        #expect(SourceKindTable.standard.recognise(data, name: "GOV.LOG1703")?.format == "mbox")
        let content = MailImport.content(Mbox.listservMessages(data), location: "/logs/GOV.LOG1703")
        #expect(content.posts.map(\.title) == ["Agenda"] && content.comments.count == 1)
        #expect(content.sources.first?.name == "Governance list")
        #expect(content.comments.first?.body == "<p>Agreed.</p>")
    }
}

@Suite("Mail: a large archive's headers in memory")
struct MailMemoryTests {
    /// Where a string's bytes are: the same place for two strings that share one copy.
    static func storage(_ text: String?) -> UInt? {
        guard var text else { return nil }
        return text.withUTF8 { $0.baseAddress.map { UInt(bitPattern: $0) } }
    }

    /// A list's messages carry the same List-Id and their senders write many each: the letters
    /// read together hold one copy of each such value, not one a message.
    @Test func letters_share_one_copy_of_a_sender_and_a_list_id_that_repeat() {
        let messages = (0..<4).map { n in
            Data("""
                From x Thu Nov  1 11:19:12 2001
                From: A Rather Long Sender Name <a.rather.long.address@lists.example.org>
                List-Id: The Internet Governance Discussion List <governance.lists.example.org>
                Message-ID: <m\(n)@example.org>
                Subject: [Gov] topic \(n)

                Body \(n).

                """.utf8)
        }
        let letters = MailImport.letters(messages.flatMap { Mbox.messages($0) }, flags: nil, orderBase: 0)
        #expect(letters.count == 4)
        #expect(Set(letters.map { Self.storage($0.sender.address) }).count == 1)
        #expect(Set(letters.map { Self.storage($0.sender.name) }).count == 1)
        #expect(Set(letters.map { Self.storage($0.message.header("list-id")) }).count == 1)
        #expect(letters.first?.sender.address == "a.rather.long.address@lists.example.org")
        let plan = MailImport.plan(letters, location: "/m/gov.mbox", listName: nil)
        #expect(plan.content.sources.first?.name == "The Internet Governance Discussion List")
    }
}

@Suite("Mail: plain text as HTML")
struct MailPlainTextTests {
    /// A signature begins a block of its own whether or not a blank line comes before `-- `, so
    /// that the article can fold it; `--` inside a line, or with more after it, is text.
    @Test func a_signature_starts_a_block_with_or_without_a_blank_line_before_it() {
        #expect(MailImport.plainHTML("We can, in Lagos.\n-- \nBo, from the hub") == "<p>We can, in Lagos.</p><p>-- <br>Bo, from the hub</p>")
        #expect(MailImport.plainHTML("We can.\n--\nBo") == "<p>We can.</p><p>--<br>Bo</p>")
        #expect(MailImport.plainHTML("We can.\n\n-- \nBo") == "<p>We can.</p><p>-- <br>Bo</p>")
        #expect(MailImport.plainHTML("a -- b\n--- \nc") == "<p>a -- b<br>--- <br>c</p>")
    }
}
