import AgoraKit
import AgoraTUI
import ArgumentParser
import Foundation
import TerminalCore

/// Where themes and the config file are, and reading them: the files are read here, what they
/// mean is worked out in AgoraTUI.
enum Appearance {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// `$XDG_CONFIG_HOME/agora`, else `~/.config/agora`.
    static var configFolder: String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/agora" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/agora"
    }

    static var userThemesFolder: String { configFolder + "/themes" }
    static var defaultConfigPath: String { configFolder + "/config.toml" }

    /// The bundled themes: `Themes/` next to the program, the installed share folder
    /// (`PREFIX/share/agora/themes` for `PREFIX/bin/agora`), or the checkout the program was
    /// built in (`.build/.../agora` finds the package's `Themes/`).
    static var bundledThemesFolder: String? {
        let fm = FileManager.default
        let exe = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let binDir = URL(fileURLWithPath: exe).resolvingSymlinksInPath().deletingLastPathComponent()
        var candidates = [binDir.appendingPathComponent("Themes"),
                          binDir.deletingLastPathComponent().appendingPathComponent("share/agora/themes")]
        var dir = binDir
        for _ in 0..<5 {
            dir = dir.deletingLastPathComponent()
            if fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                candidates.append(dir.appendingPathComponent("Themes"))
                break
            }
        }
        return candidates.map(\.path).first { path in
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
        }
    }

    static func sources(in folder: String, isUser: Bool) -> [ThemeSource] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { $0.hasSuffix(".toml") }.sorted().compactMap { file in
            let path = folder + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            let text = String(decoding: data, as: UTF8.self)
            return ThemeSource(name: String(file.dropLast(5)), path: path, text: text, isUser: isUser)
        }
    }

    /// Every theme: built in, then the bundled folder's, then the user's (each wins by name
    /// over what comes before it).
    static func catalog() -> ThemeCatalog {
        let bundled = bundledThemesFolder.map { sources(in: $0, isUser: false) } ?? []
        return ThemeCatalog(BuiltInThemes.sources + bundled + sources(in: userThemesFolder, isUser: true))
    }

    /// The config file: `--config FILE` (which must exist), else the default place (which may
    /// not: then every setting is at its default).
    static func config(path explicit: String?) throws -> Config {
        let path = explicit ?? defaultConfigPath
        guard let data = FileManager.default.contents(atPath: path) else {
            if explicit != nil { throw AgoraError.invalidArgument("no config file at \(path)") }
            return Config()
        }
        return Config(text: String(decoding: data, as: UTF8.self), path: path)
    }
}

/// The options of the reader that change how it looks and behaves.
struct AppearanceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The theme to start with (agora themes lists them; T switches while reading).", valueName: "name"))
    var theme: String?

    @Option(help: ArgumentHelp(
        "The config file (default $XDG_CONFIG_HOME/agora/config.toml, else ~/.config/agora/config.toml).",
        valueName: "file"))
    var config: String?
}

struct Themes: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List the themes, or check a theme file.",
        discussion: """
            Themes are TOML files: bundled ones in Themes/ next to the program (or its share folder), \
            yours in $XDG_CONFIG_HOME/agora/themes/ (a theme of yours replaces a bundled one of the same \
            name). docs/themes.md says how to write one.
            """,
        subcommands: [ThemesList.self, ThemesCheck.self],
        defaultSubcommand: ThemesList.self)
}

struct ThemesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the themes with the colours each needs and where it is.")

    func run() throws {
        let catalog = Appearance.catalog()
        var table = Table([.init(title: "THEME"), .init(title: "NEEDS"), .init(title: "FILE"),
                           .init(title: "ABOUT", flexible: true)])
        var problems = 0
        for name in catalog.names {
            guard let (theme, diagnostics) = catalog.theme(named: name) else { continue }
            problems += diagnostics.count
            let file = catalog.sources[name]?.path ?? "(built in)"
            let about = (catalog.file(name)?.description ?? "") + (diagnostics.isEmpty ? "" : " (\(Output.plural(diagnostics.count, "problem")): agora themes check)")
            table.add([name, theme.depth.label, file, about])
        }
        table.print(header: true)
        if problems > 0 { Output.note("\(Output.plural(problems, "problem")) in theme files: run agora themes check FILE") }
    }
}

struct ThemesCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a theme file: every problem with its line, and the colours it needs. Exit 1 on any problem.")

    @Argument(help: ArgumentHelp("The theme file (a .toml), or the name of a theme.", valueName: "file-or-name"))
    var file: String

    func run() throws {
        var catalog = Appearance.catalog()
        let name: String
        if FileManager.default.fileExists(atPath: file) {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw AgoraError.invalidArgument("cannot read \(file)")
            }
            name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let source = ThemeSource(name: name, path: file, text: String(decoding: data, as: UTF8.self), isUser: true)
            catalog = ThemeCatalog(catalog.sources.values.filter { $0.name != name } + [source])
        } else if catalog.sources[file] != nil {
            name = file
        } else {
            throw AgoraError.invalidArgument("no theme file at \(file), and no theme of that name (\(catalog.names.joined(separator: ", ")))")
        }
        guard let (theme, diagnostics) = catalog.theme(named: name) else { return }
        for diagnostic in diagnostics { Output.line(Output.safe(diagnostic.description)) }
        let path = catalog.sources[name]?.path ?? file
        if diagnostics.isEmpty {
            Output.line("\(path): no problems; needs \(theme.depth.label)")
        } else {
            throw AgoraError.badInput(.init(path: path), "\(Output.plural(diagnostics.count, "problem"))")
        }
    }
}

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the config file, or print a commented default one (--default).",
        discussion: """
            The config file is $XDG_CONFIG_HOME/agora/config.toml (else ~/.config/agora/config.toml), or \
            --config FILE. It sets the theme, the keys, the layout, whether opening marks read, whether \
            A asks, the date format and the browser: docs/config.md. Start one with \
            agora config --default > ~/.config/agora/config.toml.
            """)

    @Flag(name: .customLong("default"), help: "Print the default config file, every setting with what it does.")
    var printDefault = false

    @Option(help: ArgumentHelp("The config file to check.", valueName: "file")) var config: String?

    func run() throws {
        if printDefault {
            FileHandle.standardOutput.write(Data(Config.defaultText.utf8))
            return
        }
        let path = config ?? Appearance.defaultConfigPath
        guard FileManager.default.fileExists(atPath: path) else {
            if config != nil { throw AgoraError.invalidArgument("no config file at \(path)") }
            Output.line("No config file at \(path): every setting is at its default (agora config --default shows them).")
            return
        }
        let parsed = try Appearance.config(path: path)
        var diagnostics = parsed.diagnostics
        if let theme = parsed.theme, Appearance.catalog().sources[theme] == nil {
            diagnostics.append(Diagnostic(file: path, line: parsed.themeLine, message: "theme '\(theme)' is not a theme (agora themes lists them)"))
        }
        for diagnostic in diagnostics { Output.line(Output.safe(diagnostic.description)) }
        if diagnostics.isEmpty {
            Output.line("\(path): no problems")
        } else {
            throw AgoraError.invalidArgument(parsed.ignoredWhole
                ? "\(path): not TOML, so the whole file is ignored: every setting is at its default"
                : "\(path): \(Output.plural(diagnostics.count, "problem")); the rest applies")
        }
    }
}
