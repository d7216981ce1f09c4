/* The line editor model: one line of UTF-8 text with a cursor, curses-free
 * (the UI draws it; the filter/search prompts and the checklist's comment
 * field use it). The text is always valid UTF-8 without control characters
 * and grows as needed, so callers get whole strings: nothing is ever cut in
 * the middle of a letter.
 *
 * The cursor is a byte offset that always sits on a character boundary and
 * never between a character and the combining marks that follow it; it moves
 * by character (code point plus its marks, not by byte) or by word. Widths
 * are columns as the text module measures them (text.h).
 *
 * Words (M-b, M-f, M-d, M-Backspace) are runs of letters and digits of any
 * script; C-w deletes back to the previous white space, as in a shell. Every
 * kill (C-u, C-k, C-w, M-d, M-Backspace) keeps the killed text for C-y. */
#ifndef CXM_LINEEDIT_H
#define CXM_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct lineedit lineedit;
typedef struct le_history le_history;

lineedit *le_new(void);
void le_free(lineedit *le);

/* The whole text, NUL-terminated; valid until the next change. */
const char *le_text(const lineedit *le);
size_t le_len(const lineedit *le);          /* bytes */
size_t le_chars(const lineedit *le);        /* code points */
size_t le_cursor(const lineedit *le);       /* byte offset of the cursor */
size_t le_cursor_chars(const lineedit *le); /* code points before the cursor */
int le_width(const lineedit *le);           /* columns of the whole text */

/* Replaces the text (cleaned as le_insert_str does) and puts the cursor at
 * its end. Returns 0, or -1 when not all of it fitted (what fitted is kept). */
int le_set_text(lineedit *le, const char *s);
void le_clear(lineedit *le);
/* Limits the text to max_chars code points (0 = no limit). Text already
 * longer is not cut; only insertions are refused. */
void le_set_limit(lineedit *le, size_t max_chars);
/* Moves the cursor to code point index `chars` (clamped to the text, and
 * moved forward past combining marks). */
void le_set_cursor_chars(lineedit *le, size_t chars);

/* Inserts one code point at the cursor. Refused (-1, nothing changes) for
 * control characters, surrogates, values above U+10FFFF, or at the limit. */
int le_insert_cp(lineedit *le, uint32_t cp);
/* Inserts UTF-8 text at the cursor: invalid bytes become U+FFFD, tabs and
 * line breaks become a space (a pasted paragraph stays one line), other
 * control characters are dropped. Returns 0, or -1 when the limit (or
 * memory) stopped it part way; the characters before that are inserted. */
int le_insert_str(lineedit *le, const char *s, size_t len);

/* Motions: return true when the cursor moved. */
bool le_move_left(lineedit *le);
bool le_move_right(lineedit *le);
bool le_move_home(lineedit *le);
bool le_move_end(lineedit *le);
bool le_move_word_left(lineedit *le);  /* to the start of this/previous word */
bool le_move_word_right(lineedit *le); /* to the end of this/next word */

/* Edits: return true when the text changed. */
bool le_delete_back(lineedit *le);    /* Backspace */
bool le_delete_forward(lineedit *le); /* Del, C-d */
bool le_kill_word_back(lineedit *le); /* M-Backspace: to the start of the word */
bool le_kill_word_forward(lineedit *le); /* M-d: to the end of the word */
bool le_kill_space_word_back(lineedit *le); /* C-w: back to white space */
bool le_kill_to_start(lineedit *le);        /* C-u */
bool le_kill_to_end(lineedit *le);          /* C-k */
bool le_yank(lineedit *le);                 /* C-y: insert the last killed text */

/* The part of the text to draw in a field `cols` columns wide so that the
 * cursor is visible (horizontal scrolling; the editor remembers the scroll
 * position, so the text does not jump while the cursor stays in view).
 * text[0..len) is the slice (whole characters; its width is <= cols),
 * cursor_col the cursor's column in the field, more_left/more_right whether
 * text is hidden on either side. The end-of-text cursor takes one column. */
typedef struct {
    const char *text;
    size_t len;
    int width;
    int cursor_col;
    bool more_left;
    bool more_right;
} le_slice;
void le_visible(lineedit *le, int cols, le_slice *out);

/* One key (keymap.h codes, KM_META for Meta) applied the usual way:
 *   printable character   insert          Left, C-b / Right, C-f   character
 *   Home, C-a / End, C-e  line ends       M-b / M-f (M-Left/M-Right)  word
 *   Backspace, C-h        delete back     Del, C-d                 delete forward
 *   C-w                   kill to space   M-Backspace              kill word back
 *   M-d                   kill word       C-u / C-k                kill to start / end
 *   C-y                   yank            Up, C-p / Down, C-n      history
 * Meta keys typed on the Russian layout count as their Latin key (M-и = M-b).
 * Enter, Esc, Tab and anything else are left to the caller (LE_KEY_NONE). */
typedef enum {
    LE_KEY_NONE = 0, /* not an editing key: the caller handles it */
    LE_KEY_NOOP,     /* an editing key with nothing to do (Backspace at start) */
    LE_KEY_MOVED,    /* the cursor moved */
    LE_KEY_CHANGED,  /* the text changed */
} le_key_result;
le_key_result le_handle_key(lineedit *le, int key);

/* History, one per prompt: newest last, consecutive duplicates and empty
 * lines not stored, the oldest dropped beyond `max` entries (0 = 100). */
le_history *le_history_new(size_t max);
void le_history_free(le_history *h);
/* Adds a line (copied). Returns 0 or -1 (out of memory). */
int le_history_add(le_history *h, const char *line);
size_t le_history_count(const le_history *h);
/* Entry i, 0 = newest; NULL when out of range. */
const char *le_history_get(const le_history *h, size_t i);

/* Attaches a history to an editor (not owned; NULL detaches). Browsing
 * starts from the line being edited, which is kept: going past the newest
 * entry brings it back as it was. Setting or clearing the text, and adding
 * to the history, end the browsing. */
void le_set_history(lineedit *le, le_history *h);
bool le_history_prev(lineedit *le); /* older; false at the oldest */
bool le_history_next(lineedit *le); /* newer; false when not browsing */

#endif
