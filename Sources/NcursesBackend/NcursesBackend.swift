import CNcurses
import Foundation
import TerminalCore

#if canImport(Glibc)
import Glibc
#endif

/// Why the terminal could not be used, said the way a person can act on.
public enum TerminalError: Error, CustomStringConvertible {
    case notATerminal
    case unknownTerminal(String)
    case cannotAddress(String)

    public var description: String {
        switch self {
        case .notATerminal:
            "the reader needs a terminal (standard input and output are not one); in a pipe use agora list, agora show ID ..."
        case .unknownTerminal(let name):
            name.isEmpty ? "cannot use the terminal: TERM is not set" : "cannot use terminal type '\(name)'"
        case .cannotAddress(let name):
            "cannot use terminal type '\(name)': it cannot move the cursor, so the reader cannot draw; set TERM to your terminal's type (xterm-256color, screen, tmux ...) or use agora list, agora show ID ..."
        }
    }
}

/// The terminal through ncurses: wide-character input with get_wch, colour pairs made as
/// styles need them, mouse reports, resize. Only the `agora` executable uses it.
public final class NcursesBackend: TerminalBackend {
    private var screen: OpaquePointer?
    private var pairs: [PairKey: Int16] = [:]
    private let colorCount: Int
    private let useColor: Bool

    private struct PairKey: Hashable {
        var foreground: Int16
        var background: Int16
    }

    /// Sets up the terminal. `noColor` (NO_COLOR) keeps attributes and drops colour.
    public init(noColor: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        Self.setUpLocale()
        let term = environment["TERM"] ?? ""
        guard !term.isEmpty else { throw TerminalError.unknownTerminal("") }
        // newterm, not initscr: initscr exits the process itself when TERM is unknown.
        agora_save_terminal()
        screen = term.withCString { newterm($0, agora_stdout(), agora_stdin()) }
        guard screen != nil else { throw TerminalError.unknownTerminal(term) }
        set_term(screen)
        // A terminal that cannot put the cursor anywhere (TERM=dumb) would get the whole reader on one line.
        let cup = tigetstr("cup")
        if cup == nil || Int(bitPattern: cup) == -1 {
            endwin()
            delscreen(screen)
            screen = nil
            throw TerminalError.cannotAddress(term)
        }
        // A crash (a trap, SIGSEGV, SIGABRT) gives the terminal back too.
        agora_install_crash_restore()
        _ = agora_set_escdelay(25)
        cbreak()
        noecho()
        nonl()
        _ = keypad(agora_stdscr(), true)
        _ = intrflush(agora_stdscr(), false)
        var hasColor = false
        if !noColor, has_colors() {
            start_color()
            use_default_colors()
            hasColor = true
        }
        useColor = hasColor
        colorCount = hasColor ? Int(agora_colors()) : 0
        _ = mousemask(agora_all_mouse_events(), nil)
        mouseinterval(0)
    }

    /// A screen that writes to /dev/null, for timing the whole draw path without a terminal.
    public init(headlessWidth width: Int, height: Int) throws {
        Self.setUpLocale()
        guard let output = fopen("/dev/null", "w"), let input = fopen("/dev/null", "r") else {
            throw TerminalError.notATerminal
        }
        screen = newterm("xterm-256color", output, input)
        guard screen != nil else { throw TerminalError.unknownTerminal("xterm-256color") }
        set_term(screen)
        resizeterm(Int32(height), Int32(width))
        if has_colors() {
            start_color()
            use_default_colors()
        }
        useColor = has_colors()
        colorCount = useColor ? Int(agora_colors()) : 0
    }

    /// The C locale makes every accent a question mark: use the environment's, else C.UTF-8.
    static func setUpLocale() {
        setlocale(LC_ALL, "")
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
            setlocale(LC_ALL, "C.UTF-8")
        }
    }

    /// Gives the terminal back as it was.
    public func close() {
        guard screen != nil else { return }
        agora_remove_crash_restore()
        endwin()
        delscreen(screen)
        screen = nil
    }

    deinit { close() }

    /// Leaves the screen for a while (to run a program in the terminal), then comes back.
    public func suspend(_ body: () -> Void) {
        def_prog_mode()
        endwin()
        body()
        reset_prog_mode()
        previous = nil  // whatever ran may have drawn anywhere
        clearok(agora_stdscr(), true)
        refresh()
    }

    public var size: (width: Int, height: Int) { (Int(agora_cols()), Int(agora_lines())) }

    public func draw(_ buffer: Buffer, cursor: (x: Int, y: Int)?) {
        // Rows that did not change since the last frame are left alone; the rest go out as one
        // call per run of cells that share a style, not one per cell.
        let previous = (self.previous?.width == buffer.width && self.previous?.height == buffer.height) ? self.previous : nil
        self.previous = buffer
        for y in 0..<buffer.height {
            if let previous, Self.rowsEqual(previous, buffer, y) { continue }
            var x = 0
            while x < buffer.width {
                // The right half of a wide character is drawn with its left half.
                if buffer[x, y].symbol.isEmpty { x += 1; continue }
                let start = x
                let style = buffer[x, y].style
                scalars.removeAll(keepingCapacity: true)
                var ascii = true
                while x < buffer.width, buffer[x, y].style == style {
                    for scalar in buffer[x, y].symbol.unicodeScalars {  // a wide character's right half adds nothing
                        if scalar.value >= 0x80 { ascii = false }
                        scalars.append(wchar_t(bitPattern: scalar.value))
                    }
                    x += 1
                }
                if ascii {
                    // Plain ASCII goes in as characters with their attributes: no decoding at all.
                    let look = attributes(style) | agora_color_pair(pair(style))
                    characters.removeAll(keepingCapacity: true)
                    for scalar in scalars { characters.append(chtype(scalar) | look) }
                    characters.withUnsafeBufferPointer {
                        _ = mvaddchnstr(Int32(y), Int32(start), $0.baseAddress!, Int32($0.count))
                    }
                } else {
                    // The rest as wide characters, which ncurses need not decode from UTF-8.
                    apply(style)
                    scalars.withUnsafeBufferPointer {
                        _ = mvaddnwstr(Int32(y), Int32(start), $0.baseAddress!, Int32($0.count))
                    }
                }
            }
        }
        if let cursor {
            curs_set(1)
            move(Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        refresh()
    }

    private var lastStyle: Style?
    /// The last frame drawn, to skip rows that are the same; nil forces a full redraw.
    private var previous: Buffer?
    /// One run of cells as characters, reused from frame to frame.
    private var scalars: [wchar_t] = []
    private var characters: [chtype] = []

    private static func rowsEqual(_ a: Buffer, _ b: Buffer, _ y: Int) -> Bool {
        for x in 0..<a.width where a[x, y] != b[x, y] { return false }
        return true
    }

    private func apply(_ style: Style) {
        guard style != lastStyle else { return }
        lastStyle = style
        _ = agora_attr_set(attributes(style), pair(style))
    }

    private func attributes(_ style: Style) -> attr_t {
        var attributes = agora_a_normal()
        if style.attributes.contains(.bold) { attributes |= agora_a_bold() }
        if style.attributes.contains(.dim) { attributes |= agora_a_dim() }
        if style.attributes.contains(.italic) { attributes |= agora_a_italic() }
        if style.attributes.contains(.underline) { attributes |= agora_a_underline() }
        if style.attributes.contains(.reverse) { attributes |= agora_a_reverse() }
        return attributes
    }

    /// A colour pair for the style's colours, made the first time it is needed.
    private func pair(_ style: Style) -> Int16 {
        guard useColor else { return 0 }
        let key = PairKey(foreground: colorNumber(style.foreground), background: colorNumber(style.background))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let known = pairs[key] { return known }
        let next = Int16(pairs.count + 1)
        guard Int32(next) < agora_color_pairs() else { return 0 }
        init_pair(next, key.foreground, key.background)
        pairs[key] = next
        return next
    }

    /// The colour's number on this terminal: themes come already reduced to `colorDepth`, and
    /// anything beyond it is brought down to the nearest the terminal has.
    private func colorNumber(_ color: Color) -> Int16 {
        Int16(color.reduced(to: colorDepth).paletteNumber)
    }

    /// How many colours this terminal shows (none with NO_COLOR). Truecolor terminals get the
    /// 256-colour palette: ncurses pairs name palette entries.
    public var colorDepth: ColorDepth {
        useColor ? min(.indexed256, ColorDepth(colors: colorCount)) : .none
    }

    public func nextEvent(timeoutMilliseconds: Int) -> Event? {
        timeout(Int32(timeoutMilliseconds))
        var character: wint_t = 0
        let result = get_wch(&character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            return special(Int32(character))
        }
        return Self.key(forCharacter: UInt32(character)).map(Event.key)
    }

    static func key(forCharacter value: UInt32) -> Key? {
        switch value {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        default:
            guard let scalar = Unicode.Scalar(value), value >= 32 else { return nil }
            return .character(Character(scalar))
        }
    }

    private func special(_ code: Int32) -> Event? {
        switch code {
        case KEY_RESIZE: return .resize(width: size.width, height: size.height)
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_BTAB: return .key(.backTab)
        case KEY_ENTER: return .key(.enter)
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let x = Int(event.x), y = Int(event.y)
            if event.bstate & agora_button4_pressed() != 0 { return .mouse(MouseEvent(.wheelUp, x: x, y: y)) }
            if agora_button5_pressed() != 0, event.bstate & agora_button5_pressed() != 0 { return .mouse(MouseEvent(.wheelDown, x: x, y: y)) }
            if event.bstate & agora_button1_pressed() != 0 { return .mouse(MouseEvent(.press, x: x, y: y)) }
            return nil
        default:
            for n in 1...12 where code == agora_key_f(Int32(n)) { return .key(.function(n)) }
            return nil
        }
    }
}
