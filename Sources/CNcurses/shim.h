#ifndef AGORA_CNCURSES_SHIM_H
#define AGORA_CNCURSES_SHIM_H
// The wide-character API needs these before curses.h; SwiftPM's pkg-config path would drop them.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <curses.h>

// Macros and globals that do not import into Swift, as functions.
static inline attr_t agora_a_bold(void) { return A_BOLD; }
static inline attr_t agora_a_dim(void) { return A_DIM; }
static inline attr_t agora_a_italic(void) { return A_ITALIC; }
static inline attr_t agora_a_underline(void) { return A_UNDERLINE; }
static inline attr_t agora_a_reverse(void) { return A_REVERSE; }
static inline attr_t agora_a_normal(void) { return A_NORMAL; }
static inline WINDOW *agora_stdscr(void) { return stdscr; }
static inline int agora_lines(void) { return LINES; }
static inline int agora_cols(void) { return COLS; }
static inline int agora_colors(void) { return COLORS; }
static inline int agora_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *agora_stdout(void) { return stdout; }
static inline FILE *agora_stdin(void) { return stdin; }
static inline int agora_key_f(int n) { return KEY_F(n); }
static inline int agora_set_escdelay(int ms) { return set_escdelay(ms); }
static inline mmask_t agora_button1_pressed(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_RELEASED; }
static inline mmask_t agora_button4_pressed(void) { return BUTTON4_PRESSED; }
#if NCURSES_MOUSE_VERSION > 1
static inline mmask_t agora_button5_pressed(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t agora_button5_pressed(void) { return 0; }
#endif
static inline mmask_t agora_all_mouse_events(void) { return ALL_MOUSE_EVENTS; }
static inline int agora_attr_set(attr_t attrs, short pair) { return attr_set(attrs, pair, NULL); }
static inline chtype agora_color_pair(short pair) { return COLOR_PAIR(pair); }
#endif
