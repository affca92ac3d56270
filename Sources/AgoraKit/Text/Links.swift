import Foundation

/// Which links the reader hands to a browser, and how: a link is content, and a browser's
/// command line takes options (`--help`, `-oProxyCommand=...`, Chromium's `--renderer-cmd-prefix`)
/// and local files (`file:///etc/passwd`). Only web and mail links go, never one that could
/// be read as an option, and always as one argument of their own, with no shell.
public enum Links {
    /// The schemes that are opened.
    public static let schemes = ["http", "https", "mailto"]

    /// Browsers known to take `--` as the end of their options: the link comes after it.
    public static let takesDoubleDash: Set<String> = [
        "firefox", "firefox-esr", "librewolf", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
        "brave-browser", "microsoft-edge", "vivaldi", "opera",
    ]

    /// Nil when the link may be opened; otherwise why not, in words.
    public static func problem(_ link: String) -> String? {
        if link.hasPrefix("-") { return "a link that begins with '-' is not opened" }
        if link.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return "a link with spaces or control characters is not opened"
        }
        guard let colon = link.firstIndex(of: ":") else { return "a link with no scheme is not opened (only \(names))" }
        let scheme = link[..<colon].lowercased()
        guard schemes.contains(scheme) else { return "\(scheme): links are not opened (only \(names))" }
        return nil
    }

    private static var names: String { schemes.joined(separator: ", ") }

    /// The command that opens `link`: the browser's words (split on spaces, `%s` standing for the
    /// link, else the link goes last, after `--` for browsers known to take it).
    public static func command(browser: String, link: String) -> [String] {
        var argv = browser.split(separator: " ").map(String.init)
        if argv.contains(where: { $0.contains("%s") }) {
            return argv.map { $0.replacingOccurrences(of: "%s", with: link) }
        }
        if let program = argv.first?.split(separator: "/").last, takesDoubleDash.contains(String(program)) { argv.append("--") }
        return argv + [link]
    }
}
