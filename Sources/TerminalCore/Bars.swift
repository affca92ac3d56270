/// A horizontal bar as text: `value` out of `most` over `width` cells, in eighths of a block, or
/// `#` a cell where there is no UTF-8. A value above zero always shows.
public enum Bars {
    static let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    public static func horizontal(_ value: Int, of most: Int, width: Int, unicode: Bool) -> String {
        guard most > 0, value > 0 else { return "" }
        let eighths = max(1, value * width * 8 / most)
        guard unicode else { return String(repeating: "#", count: max(1, eighths / 8)) }
        return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
    }
}
