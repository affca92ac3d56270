#!/usr/bin/env python3
"""Turns a screen captured with `tmux capture-pane -p -e` into an SVG picture.

    scripts/ansi2svg.py WIDTH HEIGHT dark|light < capture.txt > picture.svg

The terminal's own colours (what a theme leaves as `default`) are drawn as a dark or a light
terminal would show them. Colours are xterm's.
"""
import html
import re
import sys
import unicodedata

ANSI = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255)]
STEPS = [0, 95, 135, 175, 215, 255]
TERMINALS = {"dark": ((0x1c, 0x1c, 0x1c), (0xd0, 0xd0, 0xd0)), "light": ((0xfa, 0xfa, 0xf5), (0x20, 0x20, 0x20))}
CELL_W, CELL_H = 8.4, 17


def palette(n):
    if n < 16:
        return ANSI[n]
    if n >= 232:
        v = (n - 232) * 10 + 8
        return (v, v, v)
    i = n - 16
    return (STEPS[i // 36], STEPS[(i // 6) % 6], STEPS[i % 6])


def hexcolor(rgb):
    return "#%02x%02x%02x" % rgb


def width(ch):
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def main():
    cols, rows, kind = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    term_bg, term_fg = TERMINALS[kind]
    text = sys.stdin.read()
    style = {"fg": None, "bg": None, "bold": False, "dim": False, "italic": False, "underline": False, "reverse": False}
    cells = []  # (x, y, char, style)
    for y, line in enumerate(text.split("\n")[:rows]):
        x = 0
        for token in re.split(r"(\x1b\[[0-9;:]*m)", line):
            if token.startswith("\x1b["):
                params = [int(p) if p else 0 for p in token[2:-1].replace(":", ";").split(";")] or [0]
                i = 0
                while i < len(params):
                    p = params[i]
                    if p == 0:
                        style = {k: (None if k in ("fg", "bg") else False) for k in style}
                    elif p == 1: style["bold"] = True
                    elif p == 2: style["dim"] = True
                    elif p == 3: style["italic"] = True
                    elif p == 4: style["underline"] = True
                    elif p == 7: style["reverse"] = True
                    elif p == 22: style["bold"] = style["dim"] = False
                    elif p == 23: style["italic"] = False
                    elif p == 24: style["underline"] = False
                    elif p == 27: style["reverse"] = False
                    elif 30 <= p <= 37: style["fg"] = palette(p - 30)
                    elif 40 <= p <= 47: style["bg"] = palette(p - 40)
                    elif 90 <= p <= 97: style["fg"] = palette(p - 90 + 8)
                    elif 100 <= p <= 107: style["bg"] = palette(p - 100 + 8)
                    elif p == 39: style["fg"] = None
                    elif p == 49: style["bg"] = None
                    elif p in (38, 48) and i + 1 < len(params):
                        key = "fg" if p == 38 else "bg"
                        if params[i + 1] == 5 and i + 2 < len(params):
                            style[key] = palette(params[i + 2])
                            i += 2
                        elif params[i + 1] == 2 and i + 4 < len(params):
                            style[key] = tuple(params[i + 2:i + 5])
                            i += 4
                    i += 1
                continue
            for ch in token:
                w = width(ch)
                if w == 0:
                    continue
                cells.append((x, y, ch, dict(style), w))
                x += w
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">'
           % (cols * CELL_W, rows * CELL_H, cols * CELL_W, rows * CELL_H),
           '<rect width="100%%" height="100%%" fill="%s"/>' % hexcolor(term_bg),
           '<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="14">']
    texts = []
    rects = []  # [x, y, columns, colour]: neighbouring cells of one background
    run = None  # [x, y, chars, attrs]: neighbouring one-column characters of one look, drawn as one text

    def flush():
        if run and run[2].strip():
            n = len(run[2])
            texts.append('<text x="%.1f" y="%d" textLength="%.1f" lengthAdjust="spacingAndGlyphs" xml:space="preserve"%s>%s</text>'
                         % (run[0] * CELL_W, run[1] * CELL_H + 13, n * CELL_W, run[3], html.escape(run[2])))

    for x, y, ch, s, w in cells:
        fg = s["fg"] or term_fg
        bg = s["bg"]
        if s["reverse"]:
            fg, bg = (bg or term_bg), fg
        if bg is not None:
            if rects and rects[-1][1] == y and rects[-1][0] + rects[-1][2] == x and rects[-1][3] == bg:
                rects[-1][2] += w
            else:
                rects.append([x, y, w, bg])
        attrs = ' fill="%s"' % hexcolor(fg)
        if s["bold"]: attrs += ' font-weight="bold"'
        if s["italic"]: attrs += ' font-style="italic"'
        if s["dim"]: attrs += ' fill-opacity="0.6"'
        if s["underline"]: attrs += ' text-decoration="underline"'
        if run and run[1] == y and run[0] + len(run[2]) == x and run[3] == attrs and w == 1:
            run[2] += ch
            continue
        flush()
        run = [x, y, ch, attrs]
        if w != 1:
            flush()
            run = None
    flush()
    out += ['<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>' % (x * CELL_W, y * CELL_H, n * CELL_W, CELL_H, hexcolor(bg))
            for x, y, n, bg in rects]
    out += texts
    out.append("</g></svg>")
    print("\n".join(out))


if __name__ == "__main__":
    main()
