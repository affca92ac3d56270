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
#include <term.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

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

// Giving the terminal back when the process is ended by a signal it cannot survive (a trap,
// SIGSEGV, SIGABRT, SIGBUS, SIGFPE): only async-signal-safe calls (write, tcsetattr, sigaction,
// raise), with everything they need made beforehand. Only NcursesBackend includes this header.
// Kept in a function's static (a header's own globals are not emitted into the Swift module).
struct agora_crash_state {
    struct termios saved_termios;
    int saved_termios_ok;
    char restore_sequence[256];
    size_t restore_length;
    char stack[65536];
};
static inline struct agora_crash_state *agora_crash(void) {
    static struct agora_crash_state state;
    return &state;
}
#define agora_saved_termios (agora_crash()->saved_termios)
#define agora_saved_termios_ok (agora_crash()->saved_termios_ok)
#define agora_restore_sequence (agora_crash()->restore_sequence)
#define agora_restore_length (agora_crash()->restore_length)
#define agora_crash_stack (agora_crash()->stack)

static inline void agora_append_cap(const char *name) {
    char *value = tigetstr((char *)name);
    if (value == NULL || value == (char *)-1) return;
    size_t length = strlen(value);
    if (agora_restore_length + length >= sizeof agora_crash()->restore_sequence) return;
    memcpy(agora_restore_sequence + agora_restore_length, value, length);
    agora_restore_length += length;
}

static void agora_crash_handler(int signal) {
    if (agora_restore_length > 0) { ssize_t ignored = write(STDOUT_FILENO, agora_restore_sequence, agora_restore_length); (void)ignored; }
    if (agora_saved_termios_ok) tcsetattr(STDIN_FILENO, TCSANOW, &agora_saved_termios);
    // The default action again (a core dump, the status the shell reports), for the same signal.
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, NULL);
    raise(signal);
}

/// The signals a crash sends, each given `handler`.
static inline void agora_set_crash_handlers(void (*handler)(int), int flags) {
    int signals[] = { SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE };
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = handler;
        sigemptyset(&action.sa_mask);
        action.sa_flags = flags;
        sigaction(signals[i], &action, NULL);
    }
}

/// Remembers the terminal as it is now (call before ncurses changes it).
static inline void agora_save_terminal(void) {
    agora_saved_termios_ok = tcgetattr(STDIN_FILENO, &agora_saved_termios) == 0;
}

/// Makes the sequence that leaves the reader's screen (once ncurses knows the terminal) and
/// installs the handler for the signals a crash sends, on a stack of its own (a stack overflow
/// has none left).
static inline void agora_install_crash_restore(void) {
    agora_restore_length = 0;
    // Mouse reports off (xterm's, as ncurses turns them on), the normal keypad, the cursor,
    // attributes, then out of the alternate screen.
    static const char mouse_off[] = "\033[?1006l\033[?1002l\033[?1000l";
    memcpy(agora_restore_sequence, mouse_off, sizeof mouse_off - 1);
    agora_restore_length = sizeof mouse_off - 1;
    agora_append_cap("rmkx");
    agora_append_cap("cnorm");
    agora_append_cap("sgr0");
    agora_append_cap("rmcup");
    stack_t stack;
    stack.ss_sp = agora_crash_stack;
    stack.ss_size = sizeof agora_crash()->stack;
    stack.ss_flags = 0;
    sigaltstack(&stack, NULL);
    agora_set_crash_handlers(agora_crash_handler, SA_ONSTACK | SA_NODEFER);
}

/// The handlers off again, once the terminal has been given back the ordinary way.
static inline void agora_remove_crash_restore(void) {
    agora_set_crash_handlers(SIG_DFL, 0);
    agora_restore_length = 0;
}
#endif
