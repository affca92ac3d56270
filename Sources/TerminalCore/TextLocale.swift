/// Whether the locale the environment names writes UTF-8: where it does not (LANG=C), what is
/// drawn with block characters (charts, bars) falls back to ASCII.
public enum TextLocale {
    public static func isUTF8(_ environment: [String: String]) -> Bool {
        // The first of these that is set and not empty is the one in force, as in POSIX.
        let name = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let upper = name.uppercased()
        return upper.contains("UTF-8") || upper.contains("UTF8")
    }
}
