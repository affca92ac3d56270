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
    var split = 1
    if ["bench", "sources", "themes"].contains(first), rest.count > 1, !rest[1].hasPrefix("-") { split = 2 }
    return Array(rest[..<split]) + globals + Array(rest[split...])
}

do {
    var command = try Agora.parseAsRoot(arguments(Array(CommandLine.arguments.dropFirst())))
    try command.run()
} catch let error as AgoraError {
    Output.note(error.description)
    exit(1)
} catch {
    switch Agora.exitCode(for: error) {
    case .success:
        Agora.exit(withError: error)  // --help, --version
    case .validationFailure:
        Output.errorText(Agora.fullMessage(for: error) + "\n")
        exit(2)
    case let code:
        if let exitCode = error as? ExitCode { exit(exitCode.rawValue) }
        Output.note(String(describing: error))
        exit(code.rawValue)
    }
}
