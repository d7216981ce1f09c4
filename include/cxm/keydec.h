/* The key decoder: turns what the terminal layer read (code points and the
 * keys curses already knew, in keymap.h codes) into keys, curses-free so it
 * can be unit-tested and fuzzed.
 *
 * Curses decodes the sequences its terminfo entry lists; what it does not
 * know reaches us as Esc followed by the sequence's bytes, all of which
 * arrived together. The decoder:
 *   - decodes the common CSI (Esc [) and SS3 (Esc O) sequences of xterm,
 *     rxvt and the Linux console (arrows, Home/End, PgUp/PgDn, Ins/Del,
 *     F1-F12, BTab; Alt as modifier 3 gives M-<key>), and swallows any
 *     other well-formed sequence whole (one KM_SWALLOWED);
 *   - makes Esc followed by another key a Meta key (M-x): the caller only
 *     feeds what arrived within the escape delay before calling
 *     keydec_flush();
 *   - returns a lone Esc as Esc (27) on keydec_flush().
 * Usage: feed every unit read, then flush when nothing more is pending. */
#ifndef CXM_KEYDEC_H
#define CXM_KEYDEC_H

#define KEYDEC_OUT_MAX 2 /* keys one call can produce */
#define KEYDEC_SEQ_MAX 32

typedef struct {
    int state;           /* internal */
    int n;               /* parameter bytes held */
    char seq[KEYDEC_SEQ_MAX];
} keydec;

void keydec_init(keydec *d);
/* Feeds one unit (a code point, or a KM_* key). Writes 0..KEYDEC_OUT_MAX
 * keys to out and returns how many. */
int keydec_feed(keydec *d, int in, int out[KEYDEC_OUT_MAX]);
/* Nothing more arrived within the escape delay: a pending Esc is Esc, an
 * unfinished sequence is swallowed. Returns the number of keys in out. */
int keydec_flush(keydec *d, int out[KEYDEC_OUT_MAX]);
/* True while the decoder holds a partial key (Esc or a sequence). */
int keydec_pending(const keydec *d);

#endif
