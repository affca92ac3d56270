import AgoraTestSupport
import Foundation

// The test forum as a program, for the sync benchmark and for trying `agora` against a forum
// by hand: it prints its address and serves on 127.0.0.1 until its input ends. Lines on its
// input change it: `reply TOPIC USERNAME TEXT...`, `edit POST TEXT...`, `requests` (prints how
// many it has answered).
//
//   agora-test-forum [--topics N] [--posts N] [--users N] [--seed N]

/// A line on standard output, at once (a script reads it through a pipe).
func say(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

var settings = ["--topics": 200, "--posts": 1_500, "--users": 60, "--seed": 7]
var arguments = CommandLine.arguments.dropFirst()
while let name = arguments.popFirst() {
    guard settings[name] != nil, let value = arguments.popFirst().flatMap(Int.init), value >= 0 else {
        FileHandle.standardError.write(Data("usage: agora-test-forum [--topics N] [--posts N] [--users N] [--seed N]\n".utf8))
        exit(2)
    }
    settings[name] = value
}
let forum = try TestForum.generated(topics: settings["--topics"]!, posts: settings["--posts"]!, users: settings["--users"]!,
                                    seed: UInt64(settings["--seed"]!)).start(keepAlive: true)
say(forum.baseURL)
while let line = readLine() {
    let words = line.split(separator: " ", maxSplits: 2).map(String.init)
    switch words.first {
    case "reply" where words.count == 3:
        let rest = words[2].split(separator: " ", maxSplits: 1).map(String.init)
        if let topic = Int(words[1]), forum.topic(topic) != nil, rest.count == 2 {
            say("post \(forum.reply(topic: topic, by: rest[0], text: rest[1]))")
        } else {
            say("no such topic")
        }
    case "edit" where words.count == 3:
        if let post = Int(words[1]) { forum.edit(post: post, text: words[2]); say("edited") }
    case "requests":
        say(String(forum.requests().count))
    default:
        say("commands: reply TOPIC USERNAME TEXT, edit POST TEXT, requests")
    }
}
forum.stop()
