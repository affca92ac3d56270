/// How many colours a terminal can show, fewest first.
public enum ColorDepth: Int, CaseIterable, Comparable, Hashable, Sendable {
    /// No colour: NO_COLOR, or a terminal without colours. Attributes only.
    case none = 0
    case eight = 8
    case sixteen = 16
    case indexed256 = 256
    /// 24-bit `#RRGGBB`.
    case truecolor = 16_777_216

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// The depth for a terminal that reports `colors` colours (terminfo's `colors`).
    public init(colors: Int) {
        switch colors {
        case 16_777_216...: self = .truecolor
        case 256...: self = .indexed256
        case 16...: self = .sixteen
        case 8...: self = .eight
        default: self = .none
        }
    }

    /// "256 colours", for `agora themes` and messages.
    public var label: String {
        switch self {
        case .none: "no colour"
        case .eight: "8 colours"
        case .sixteen: "16 colours"
        case .indexed256: "256 colours"
        case .truecolor: "truecolor (#RRGGBB)"
        }
    }
}

extension Color {
    /// The fewest colours a terminal needs to show this one as it is.
    public var depth: ColorDepth {
        switch self {
        case .default: .none
        case .ansi(let n): n < 8 ? .eight : .sixteen
        case .indexed(let n): n < 8 ? .eight : (n < 16 ? .sixteen : .indexed256)
        case .rgb: .truecolor
        }
    }

    /// The nearest colour a terminal of `depth` has: `#RRGGBB` to the 256-colour palette, that
    /// to the 16 named colours, those to the first 8. With no colour, the terminal's own.
    public func reduced(to depth: ColorDepth) -> Color {
        if self == .default || self.depth <= depth { return self }
        switch depth {
        case .none:
            return .default
        case .truecolor:
            return self
        case .indexed256:
            guard case .rgb(let r, let g, let b) = self else { return self }
            return .indexed(ColorMath.nearest256(r: r, g: g, b: b))
        case .sixteen, .eight:
            let count = depth == .sixteen ? 16 : 8
            switch self {
            case .ansi(let n): return .ansi(n % 8)  // only bright ones need more than 8
            case .indexed(let n) where n < 16: return .ansi(count == 16 ? n : n % 8)
            case .indexed(let n):
                let (r, g, b) = ColorMath.rgb(ofIndex: n)
                return .ansi(ColorMath.nearestANSI(r: r, g: g, b: b, count: count))
            case .rgb(let r, let g, let b):
                return .ansi(ColorMath.nearestANSI(r: r, g: g, b: b, count: count))
            case .default:
                return .default
            }
        }
    }

    /// The colour as a number of the terminal's palette (after `reduced(to:)`); -1 is its own.
    public var paletteNumber: Int {
        switch self {
        case .default: -1
        case .ansi(let n): Int(n)
        case .indexed(let n): Int(n)
        case .rgb(let r, let g, let b): Int(ColorMath.nearest256(r: r, g: g, b: b))
        }
    }
}

/// Nearest-colour arithmetic over xterm's palette.
public enum ColorMath {
    /// xterm's 16 named colours.
    public static let ansiRGB: [(UInt8, UInt8, UInt8)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]
    private static let cubeSteps: [Int] = [0, 95, 135, 175, 215, 255]

    /// The colour a 256-palette index stands for.
    public static func rgb(ofIndex index: UInt8) -> (UInt8, UInt8, UInt8) {
        if index < 16 { return ansiRGB[Int(index)] }
        if index >= 232 {
            let v = UInt8(Int(index - 232) * 10 + 8)
            return (v, v, v)
        }
        let i = Int(index) - 16
        return (UInt8(cubeSteps[i / 36]), UInt8(cubeSteps[(i / 6) % 6]), UInt8(cubeSteps[i % 6]))
    }

    private static func distance(_ a: (UInt8, UInt8, UInt8), _ b: (UInt8, UInt8, UInt8)) -> Int {
        // Weighted for the eye: green counts most, blue least.
        let dr = Int(a.0) - Int(b.0), dg = Int(a.1) - Int(b.1), db = Int(a.2) - Int(b.2)
        return 3 * dr * dr + 4 * dg * dg + 2 * db * db
    }

    /// The nearest of the 240 cube and grey colours (16-255): the named 16 are left out because
    /// terminals redefine them.
    public static func nearest256(r: UInt8, g: UInt8, b: UInt8) -> UInt8 {
        func level(_ v: UInt8) -> Int {
            var best = 0
            for (i, step) in cubeSteps.enumerated() where abs(step - Int(v)) < abs(cubeSteps[best] - Int(v)) { best = i }
            return best
        }
        let cube = UInt8(16 + 36 * level(r) + 6 * level(g) + level(b))
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyStep = min(23, max(0, (average - 3) / 10))
        let grey = UInt8(232 + greyStep)
        let target = (r, g, b)
        return distance(rgb(ofIndex: grey), target) < distance(rgb(ofIndex: cube), target) ? grey : cube
    }

    /// The nearest of the first `count` (8 or 16) named colours.
    public static func nearestANSI(r: UInt8, g: UInt8, b: UInt8, count: Int) -> UInt8 {
        var best = 0
        var bestDistance = Int.max
        for i in 0..<min(count, 16) {
            let d = distance(ansiRGB[i], (r, g, b))
            if d < bestDistance { (best, bestDistance) = (i, d) }
        }
        return UInt8(best)
    }
}
