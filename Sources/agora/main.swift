import AgoraKit
import ArgumentParser
import Foundation

// Exit 0 on success, 1 for a user error (one line saying what and where), 2 for a wrong
// command line. No stack traces for anything a person can cause.
/// `agora --cache X list`: options that every command takes may come before the command name.
/// ArgumentParser reads them only after it, so move them there.
func arguments(_ raw: [String]) -> [String] {
    var globals: [String] = []
    var index = 0
    while index < raw.count {
        if raw[index] == "--cache", index + 1 < raw.count {
            globals += raw[index...index + 1]
            index += 2
        } else if raw[index].hasPrefix("--cache=") {
            globals.append(raw[index])
            index += 1
        } else {
            break
        }
    }
    guard !globals.isEmpty else { return raw }
    let rest = Array(raw[index...])
    guard let first = rest.first, !first.hasPrefix("-") else { return globals + rest }
    // Put them after the command and its subcommand ("bench store").
    let names = Agora.configuration.subcommands.map { $0.configuration.commandName ?? String(describing: $0).lowercased() }
    guard names.contains(first) else { return globals + rest }
    // Commands that use no cache take no --cache: it is dropped, not an error.
    if ["themes", "config", "generate"].contains(first) { return rest }
    var split = 1
    if ["bench", "sources", "themes"].contains(first), rest.count > 1, !rest[1].hasPrefix("-") { split = 2 }
    return Array(rest[..<split]) + globals + Array(rest[split...])
}

/// A word where a command belongs that names none: the command meant, when one is close.
func unknownCommand(_ words: [String]) -> String? {
    let names = Agora.configuration.subcommands.map { $0.configuration.commandName ?? String(describing: $0).lowercased() }
    var rest = words[...]
    if rest.first == "help" { rest = rest.dropFirst() }
    guard let first = rest.first, !first.hasPrefix("-"), !names.contains(first) else { return nil }
    // Only where a command is expected: `agora WORD` or `agora help WORD` (the reader takes no words).
    let closest = names.map { ($0, EditDistance.between(first.lowercased(), $0)) }.min { $0.1 < $1.1 }
    let hint = closest.flatMap { $0.1 <= max(1, $0.0.count / 3) ? "; did you mean `\($0.0)`?" : nil } ?? ""
    return "no command '\(Sanitizer.line(first))'\(hint) (agora --help lists the commands)"
}

/// ArgumentParser's message in Agora's words: `agora: ...` where it says `Error: ...`.
func usageMessage(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if let first = lines.first, first.hasPrefix("Error: ") { lines[0] = "agora: " + first.dropFirst("Error: ".count) }
    return lines.joined(separator: "\n")
}

let given = arguments(Array(CommandLine.arguments.dropFirst()))
if let message = unknownCommand(given) {
    Output.note(message)
    exit(2)
}
do {
    var command = try Agora.parseAsRoot(given)
    try command.run()
} catch let error as AgoraError {
    Output.note(error.description)
    exit(1)
} catch {
    switch Agora.exitCode(for: error) {
    case .success:
        Agora.exit(withError: error)  // --help, --version
    case .validationFailure:
        Output.errorText(usageMessage(Agora.fullMessage(for: error)) + "\n")
        exit(2)
    case let code:
        if let exitCode = error as? ExitCode { exit(exitCode.rawValue) }
        Output.note(Output.describe(error))
        exit(code.rawValue)
    }
}
