import Foundation

/// Emoji shortcodes as forums write them (`:smile:`), for the ones people use most; the rest are
/// shown as their name.
enum Emoji {
    static func character(_ code: String) -> String? {
        let name = code.trimmingCharacters(in: CharacterSet(charactersIn: ":")).lowercased()
        return table[name]
    }

    private static let table: [String: String] = [
        "smile": "😄", "smiley": "😃", "grinning": "😀", "slight_smile": "🙂", "slightly_smiling_face": "🙂", "wink": "😉",
        "laughing": "😆", "joy": "😂", "rofl": "🤣", "blush": "😊", "heart_eyes": "😍", "thinking": "🤔",
        "neutral_face": "😐", "confused": "😕", "frowning": "☹️", "disappointed": "😞", "cry": "😢", "sob": "😭",
        "angry": "😠", "rage": "😡", "scream": "😱", "sweat_smile": "😅", "sunglasses": "😎", "innocent": "😇",
        "+1": "👍", "thumbsup": "👍", "-1": "👎", "thumbsdown": "👎", "clap": "👏", "pray": "🙏", "wave": "👋",
        "ok_hand": "👌", "raised_hands": "🙌", "muscle": "💪", "point_up": "☝️", "eyes": "👀", "heart": "❤️",
        "broken_heart": "💔", "fire": "🔥", "star": "⭐", "sparkles": "✨", "tada": "🎉", "rocket": "🚀", "bulb": "💡",
        "warning": "⚠️", "white_check_mark": "✅", "heavy_check_mark": "✔️", "x": "❌", "question": "❓",
        "exclamation": "❗", "100": "💯", "globe_with_meridians": "🌐", "earth_africa": "🌍", "earth_americas": "🌎",
        "earth_asia": "🌏", "lock": "🔒", "key": "🔑", "link": "🔗", "memo": "📝", "calendar": "📅", "email": "📧",
    ]
}
