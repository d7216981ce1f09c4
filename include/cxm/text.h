/* The one text module: everything that may reach a screen goes through here.
 * Width is measured in terminal columns, never bytes. Invalid UTF-8 becomes
 * U+FFFD; C0/C1 controls, DEL and whole ESC/CSI/OSC/DCS sequences are made
 * visible (e.g. ESC -> "^[", BEL -> "^G", U+009B -> "<9B>") and are never
 * emitted raw; so are bidi controls (U+202A-202E, U+2066-2069, U+200E/200F,
 * U+061C) and zero-width characters (U+200B-200D, U+2060, U+FEFF), shown as
 * their code point ("<202E>") in both modes. Outside a UTF-8 locale the output is ASCII only ("..." for the
 * ellipsis, '?' for what cannot be shown). */
#ifndef CXM_TEXT_H
#define CXM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decides UTF-8 vs ASCII output from the current LC_CTYPE (call after setlocale). */
void text_init(void);
/* Forces the mode (tests). */
void text_set_utf8(bool utf8);
bool text_is_utf8(void);

/* Columns the sanitized form of s[0..len) takes on screen. */
int text_width(const char *s, size_t len);

/* Writes the sanitized form of s[0..len) into out (always NUL-terminated when
 * outcap > 0). Returns the number of bytes written, excluding the NUL. */
size_t text_sanitize(const char *s, size_t len, char *out, size_t outcap);

/* text_sanitize for a file (CSV, exports) rather than the terminal: always
 * UTF-8 output, whatever the locale; controls are made visible the same way. */
size_t text_sanitize_utf8(const char *s, size_t len, char *out, size_t outcap);

/* Sanitizes and fits into at most `cols` columns: longer text is cut at a
 * character boundary and ends with "…" (or "..." in ASCII mode). When `pad` is
 * true the result is padded with spaces to exactly `cols` columns. Returns the
 * columns used. `out` must hold at least cols * 4 + 4 bytes for the worst case. */
int text_fit(const char *s, size_t len, int cols, bool pad, char *out, size_t outcap);

/* Like text_fit but right-aligned (numbers in tables). */
int text_fit_right(const char *s, size_t len, int cols, char *out, size_t outcap);

/* Strict UTF-8 decoding as this module does it (no overlongs, surrogates or
 * code points above U+10FFFF): returns the length of the sequence at s, or 0
 * when s[0] does not start a valid one (len must be > 0). */
size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes a code point (<= U+10FFFF, not a surrogate) into out[0..4);
 * returns its length, or 0 when cp cannot be encoded. */
size_t text_utf8_encode(uint32_t cp, char out[4]);
/* Columns one code point takes as this module shows it after a base
 * character: 0 for a combining mark, 2 for a wide character, the width of
 * its visible form for a control ("^G" is 2). Editors measure with this so
 * they agree with text_width. */
int text_cp_width(uint32_t cp);

/* Bidi controls (U+202A-202E, U+2066-2069, LRM/RLM, U+061C), zero-width
 * characters (U+200B-200D, U+2060, U+FEFF) and the other invisible format
 * characters: what the text module shows as <XXXX> and a machine format
 * writes escaped (JSON \uXXXX), never raw. */
bool text_is_invisible_format(uint32_t cp);

/* A letter or digit of any script (Unicode classes, not the process
 * locale): what a "word" is made of for word motion in an editor. */
bool text_is_alnum(uint32_t cp);

/* Simple Unicode case folding of one code point (to lower case: "Ж" -> "ж",
 * "Σ" -> "σ", "Ä" -> "ä"), independent of the process locale. */
uint32_t text_fold_cp(uint32_t cp);
/* Whether `needle` occurs in `hay` ignoring case in every script, for
 * searches and filters. "ё" and "е" match each other too (people type
 * either). Invalid UTF-8 bytes match only the same bytes. An empty needle
 * matches everything. */
bool text_contains_folded(const char *hay, const char *needle);

#endif
