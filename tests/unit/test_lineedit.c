/* The line editor model: UTF-8 editing by character and word, kills and
 * yank, cleaning of pasted input, horizontal scrolling measured by the text
 * module, the key map and history. Runs in the "C" locale on purpose: the
 * editor must not depend on the process locale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/keymap.h"
#include "cxm/lineedit.h"
#include "cxm/text.h"

static int setup(void **state)
{
    text_set_utf8(true);
    *state = le_new();
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    le_free(*state);
    return 0;
}

/* Types a UTF-8 string key by key, as the decoder delivers it. */
static void type(lineedit *le, const char *s)
{
    size_t i = 0, len = strlen(s);
    while (i < len) {
        uint32_t cp;
        size_t n = text_utf8_decode(s + i, len - i, &cp);
        assert_true(n > 0);
        assert_int_equal(le_handle_key(le, (int)cp), LE_KEY_CHANGED);
        i += n;
    }
}

/* What is left of the cursor, as a string. */
static const char *left_of_cursor(const lineedit *le)
{
    static char buf[4096];
    size_t n = le_cursor(le);
    assert_true(n < sizeof buf);
    memcpy(buf, le_text(le), n);
    buf[n] = '\0';
    return buf;
}

static void test_cyrillic_by_character(void **state)
{
    lineedit *le = *state;
    type(le, "Привет");
    assert_string_equal(le_text(le), "Привет");
    assert_int_equal(le_len(le), 12);
    assert_int_equal(le_chars(le), 6);
    assert_int_equal(le_cursor_chars(le), 6);
    assert_int_equal(le_width(le), 6);
    /* Left moves one letter (two bytes), never half of one. */
    assert_int_equal(le_handle_key(le, KM_LEFT), LE_KEY_MOVED);
    assert_int_equal(le_cursor(le), 10);
    assert_int_equal(le_cursor_chars(le), 5);
    type(le, "ё");
    assert_string_equal(le_text(le), "Привеёт");
    assert_int_equal(le_handle_key(le, KM_BACKSPACE), LE_KEY_CHANGED);
    assert_int_equal(le_handle_key(le, KM_BACKSPACE), LE_KEY_CHANGED);
    assert_string_equal(le_text(le), "Привт");
    assert_int_equal(le_handle_key(le, KM_DEL), LE_KEY_CHANGED);
    assert_string_equal(le_text(le), "Прив");
    assert_int_equal(le_handle_key(le, KM_DEL), LE_KEY_NOOP);
    assert_int_equal(le_handle_key(le, KM_HOME), LE_KEY_MOVED);
    assert_int_equal(le_handle_key(le, KM_HOME), LE_KEY_NOOP);
    assert_int_equal(le_handle_key(le, KM_BACKSPACE), LE_KEY_NOOP);
    assert_int_equal(le_handle_key(le, KM_LEFT), LE_KEY_NOOP);
    assert_int_equal(le_handle_key(le, 0x04), LE_KEY_CHANGED); /* C-d */
    assert_string_equal(le_text(le), "рив");
    assert_int_equal(le_handle_key(le, 0x05), LE_KEY_MOVED); /* C-e */
    assert_int_equal(le_cursor_chars(le), 3);
    assert_int_equal(le_handle_key(le, 0x01), LE_KEY_MOVED); /* C-a */
    assert_int_equal(le_cursor(le), 0);
    assert_int_equal(le_handle_key(le, 0x06), LE_KEY_MOVED); /* C-f */
    assert_int_equal(le_handle_key(le, KM_RIGHT), LE_KEY_MOVED);
    assert_string_equal(left_of_cursor(le), "ри");
    assert_int_equal(le_handle_key(le, 0x02), LE_KEY_MOVED); /* C-b */
    assert_string_equal(left_of_cursor(le), "р");
    assert_int_equal(le_handle_key(le, KM_END), LE_KEY_MOVED);
    assert_int_equal(le_handle_key(le, KM_RIGHT), LE_KEY_NOOP);
}

static void test_wide_and_combining(void **state)
{
    lineedit *le = *state;
    /* CJK is two columns; an emoji outside the BMP is four bytes. */
    le_set_text(le, "日本\xF0\x9F\x98\x80x");
    assert_int_equal(le_chars(le), 4);
    assert_int_equal(le_width(le), 7);
    assert_int_equal(le_width(le), text_width(le_text(le), le_len(le)));
    le_move_left(le);
    le_move_left(le);
    assert_string_equal(left_of_cursor(le), "日本");
    le_delete_back(le);
    assert_string_equal(le_text(le), "日\xF0\x9F\x98\x80x");
    /* "й" written as и + combining breve, then a combining acute on "e":
     * the cursor never stops between a letter and its mark, and a mark
     * goes with its letter when deleted. */
    le_set_text(le, "и\xCC\x86" "e\xCC\x81z");
    assert_int_equal(le_chars(le), 5);
    assert_int_equal(le_width(le), 3);
    le_move_left(le); /* before z */
    le_move_left(le); /* before e + mark */
    assert_string_equal(left_of_cursor(le), "и\xCC\x86");
    le_move_right(le);
    assert_string_equal(left_of_cursor(le), "и\xCC\x86" "e\xCC\x81");
    le_delete_back(le);
    assert_string_equal(le_text(le), "и\xCC\x86z");
    le_set_cursor_chars(le, 1); /* lands after the mark, not inside */
    assert_string_equal(left_of_cursor(le), "и\xCC\x86");
    le_move_home(le);
    le_delete_forward(le);
    assert_string_equal(le_text(le), "z");
    /* Typing a mark after a letter attaches to it. */
    le_move_end(le);
    assert_int_equal(le_handle_key(le, 0x301), LE_KEY_CHANGED);
    assert_int_equal(le_width(le), 1);
    assert_true(le_move_left(le));
    assert_int_equal(le_cursor(le), 0);
    /* A mark alone at the start is shown on a placeholder: one column, as
     * text_width says. */
    le_set_text(le, "\xCC\x81" "a");
    assert_int_equal(le_width(le), text_width(le_text(le), le_len(le)));
}

static void test_invalid_input_replaced(void **state)
{
    lineedit *le = *state;
    /* Invalid bytes (a lone continuation, a truncated sequence, an overlong
     * slash, a surrogate) each become U+FFFD; controls never get in. */
    const char in[] = "a\x80" "b\xD0" "c\xC0\xAF" "d\xED\xA0\x80" "e";
    assert_int_equal(le_insert_str(le, in, sizeof in - 1), 0);
    assert_string_equal(le_text(le), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD"
                                     "d\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                                     "e");
    le_clear(le);
    /* Tabs and line breaks become one space each (CRLF is one break);
     * ESC, BEL, DEL and C1 controls are dropped, so no escape sequence can
     * ever be stored or drawn. */
    const char ctl[] = "one\ttwo\r\nthree\nfour\x1b[31mred\x07\x7f\xC2\x9B" "x";
    assert_int_equal(le_insert_str(le, ctl, sizeof ctl - 1), 0);
    assert_string_equal(le_text(le), "one two three four[31mredx");
    /* A NUL inside the input does not end it early nor get stored. */
    le_clear(le);
    assert_int_equal(le_insert_str(le, "a\0b", 3), 0);
    assert_string_equal(le_text(le), "ab");
    assert_int_equal(le_len(le), 2);
    /* Code points that are not text are refused one by one. */
    le_clear(le);
    assert_int_equal(le_insert_cp(le, 0x1b), -1);
    assert_int_equal(le_insert_cp(le, 0x7f), -1);
    assert_int_equal(le_insert_cp(le, 0x9b), -1);
    assert_int_equal(le_insert_cp(le, 0xD800), -1);
    assert_int_equal(le_insert_cp(le, 0x110000), -1);
    assert_int_equal(le_len(le), 0);
    assert_int_equal(le_handle_key(le, 0x1b), LE_KEY_NONE); /* Esc is the caller's */
    assert_int_equal(le_handle_key(le, '\n'), LE_KEY_NONE); /* Enter too */
    assert_int_equal(le_handle_key(le, '\t'), LE_KEY_NONE);
    assert_int_equal(le_handle_key(le, KM_F0 + 1), LE_KEY_NONE);
    assert_int_equal(le_handle_key(le, KM_KEY_NONE), LE_KEY_NONE);
}

static void test_grows_whole_strings(void **state)
{
    lineedit *le = *state;
    /* Far beyond any fixed buffer the prompts used to have (128 bytes). */
    for (int i = 0; i < 5000; i++)
        assert_int_equal(le_insert_cp(le, 0x416), 0); /* Ж */
    assert_int_equal(le_chars(le), 5000);
    assert_int_equal(le_len(le), 10000);
    const char *t = le_text(le);
    for (int i = 0; i < 10000; i += 2)
        assert_memory_equal(t + i, "Ж", 2);
    assert_int_equal(t[10000], '\0');
    /* A big paste at the front in one go. */
    le_move_home(le);
    char *big = malloc(300001);
    assert_non_null(big);
    memset(big, 'x', 300000);
    big[300000] = '\0';
    assert_int_equal(le_insert_str(le, big, 300000), 0);
    assert_int_equal(le_len(le), 310000);
    assert_int_equal(le_cursor(le), 300000);
    free(big);
    le_kill_to_start(le);
    assert_int_equal(le_len(le), 10000);
}

static void test_limit(void **state)
{
    lineedit *le = *state;
    le_set_limit(le, 5);
    type(le, "Щука");
    assert_int_equal(le_handle_key(le, 'x'), LE_KEY_CHANGED);
    assert_int_equal(le_handle_key(le, 'y'), LE_KEY_NOOP);
    assert_string_equal(le_text(le), "Щукаx");
    le_move_home(le);
    le_delete_forward(le);
    /* A paste stops at the limit on a character boundary. */
    assert_int_equal(le_insert_str(le, "ёжик", strlen("ёжик")), -1);
    assert_string_equal(le_text(le), "ёукаx");
    le_set_limit(le, 0);
    assert_int_equal(le_insert_str(le, "ёжик", strlen("ёжик")), 0);
}

static void test_word_motion(void **state)
{
    lineedit *le = *state;
    le_set_text(le, "foo, bar-baz  (qux)");
    le_move_home(le);
    /* M-f goes to the end of the next word, skipping punctuation. */
    assert_int_equal(le_handle_key(le, KM_META | 'f'), LE_KEY_MOVED);
    assert_string_equal(left_of_cursor(le), "foo");
    le_move_word_right(le);
    assert_string_equal(left_of_cursor(le), "foo, bar");
    le_move_word_right(le);
    assert_string_equal(left_of_cursor(le), "foo, bar-baz");
    le_move_word_right(le);
    assert_string_equal(left_of_cursor(le), "foo, bar-baz  (qux");
    assert_true(le_move_word_right(le)); /* past the ")" to the end */
    assert_int_equal(le_cursor(le), le_len(le));
    assert_int_equal(le_handle_key(le, KM_META | 'f'), LE_KEY_NOOP);
    /* M-b goes to the start of the previous word. */
    assert_int_equal(le_handle_key(le, KM_META | 'b'), LE_KEY_MOVED);
    assert_string_equal(left_of_cursor(le), "foo, bar-baz  (");
    le_move_word_left(le);
    assert_string_equal(left_of_cursor(le), "foo, bar-");
    le_move_word_left(le);
    assert_string_equal(left_of_cursor(le), "foo, ");
    le_move_word_left(le);
    assert_int_equal(le_cursor(le), 0);
    assert_false(le_move_word_left(le));
    /* Cyrillic letters and digits are word characters; « » — are not. */
    le_set_text(le, "«Ёлка-2025» — ура");
    le_move_home(le);
    le_move_word_right(le);
    assert_string_equal(left_of_cursor(le), "«Ёлка");
    le_move_word_right(le);
    assert_string_equal(left_of_cursor(le), "«Ёлка-2025");
    le_move_word_right(le);
    assert_string_equal(left_of_cursor(le), "«Ёлка-2025» — ура");
    le_move_word_left(le);
    assert_string_equal(left_of_cursor(le), "«Ёлка-2025» — ");
    /* Meta keys typed on the Russian layout: M-и is M-b, M-а is M-f. */
    assert_int_equal(le_handle_key(le, KM_META | 0x438), LE_KEY_MOVED);
    assert_string_equal(left_of_cursor(le), "«Ёлка-");
    assert_int_equal(le_handle_key(le, KM_META | 0x430), LE_KEY_MOVED);
    assert_string_equal(left_of_cursor(le), "«Ёлка-2025");
    /* M-Left / M-Right as well. */
    assert_int_equal(le_handle_key(le, KM_META | KM_LEFT), LE_KEY_MOVED);
    assert_string_equal(left_of_cursor(le), "«Ёлка-");
    assert_int_equal(le_handle_key(le, KM_META | KM_RIGHT), LE_KEY_MOVED);
    assert_string_equal(left_of_cursor(le), "«Ёлка-2025");
    /* Only spaces and punctuation: a word motion crosses all of it. */
    le_set_text(le, "  ,.;  ");
    assert_true(le_move_word_left(le));
    assert_int_equal(le_cursor(le), 0);
    assert_true(le_move_word_right(le));
    assert_int_equal(le_cursor(le), le_len(le));
}

static void test_kills_and_yank(void **state)
{
    lineedit *le = *state;
    /* C-w stops at white space only; M-Backspace at a word boundary. */
    le_set_text(le, "cat /var/log/кассa_1.log  ");
    assert_int_equal(le_handle_key(le, 0x17), LE_KEY_CHANGED);
    assert_string_equal(le_text(le), "cat ");
    assert_int_equal(le_handle_key(le, 0x19), LE_KEY_CHANGED); /* C-y */
    assert_string_equal(le_text(le), "cat /var/log/кассa_1.log  ");
    assert_int_equal(le_handle_key(le, KM_META | KM_BACKSPACE), LE_KEY_CHANGED);
    assert_string_equal(le_text(le), "cat /var/log/кассa_1.");
    assert_int_equal(le_handle_key(le, KM_META | 0x7f), LE_KEY_CHANGED);
    assert_string_equal(le_text(le), "cat /var/log/кассa_");
    le_kill_word_back(le);
    assert_string_equal(le_text(le), "cat /var/log/");
    /* C-u kills to the start, C-k to the end, from the middle. */
    le_set_text(le, "первый второй третий");
    le_move_home(le);
    le_move_word_right(le);
    le_move_word_right(le);
    assert_int_equal(le_handle_key(le, 0x0B), LE_KEY_CHANGED); /* C-k */
    assert_string_equal(le_text(le), "первый второй");
    assert_int_equal(le_handle_key(le, 0x0B), LE_KEY_NOOP);
    le_move_word_left(le);
    assert_int_equal(le_handle_key(le, 0x15), LE_KEY_CHANGED); /* C-u */
    assert_string_equal(le_text(le), "второй");
    assert_int_equal(le_cursor(le), 0);
    assert_int_equal(le_handle_key(le, 0x15), LE_KEY_NOOP);
    le_move_end(le);
    le_yank(le);
    assert_string_equal(le_text(le), "второйпервый ");
    /* M-d kills the next word with what precedes it. */
    le_set_text(le, "a, bcd e");
    le_move_home(le);
    le_move_right(le);
    assert_int_equal(le_handle_key(le, KM_META | 'd'), LE_KEY_CHANGED);
    assert_string_equal(le_text(le), "a e");
    /* Nothing killed yet in a new editor: C-y does nothing. */
    lineedit *fresh = le_new();
    assert_int_equal(le_handle_key(fresh, 0x19), LE_KEY_NOOP);
    assert_int_equal(le_handle_key(fresh, 0x17), LE_KEY_NOOP);
    le_free(fresh);
}

static void check_slice(lineedit *le, int cols, le_slice *s)
{
    le_visible(le, cols, s);
    assert_true(s->width <= cols);
    assert_int_equal(s->width, text_width(s->text, s->len));
    assert_true(s->cursor_col >= 0 && s->cursor_col < cols);
    /* The cursor is inside the slice (or just after it at the text end). */
    size_t off = (size_t)(s->text - le_text(le));
    assert_true(le_cursor(le) >= off && le_cursor(le) <= off + s->len);
    assert_int_equal(s->cursor_col, text_width(s->text, le_cursor(le) - off));
}

static void test_visible_scrolls(void **state)
{
    lineedit *le = *state;
    le_slice s;
    le_set_text(le, "abc");
    check_slice(le, 10, &s);
    assert_int_equal(s.len, 3);
    assert_int_equal(s.cursor_col, 3);
    assert_false(s.more_left || s.more_right);

    /* Typing past the right edge scrolls just enough; the end-of-text
     * cursor keeps a column. */
    le_set_text(le, "0123456789abcdef");
    check_slice(le, 10, &s);
    assert_int_equal(s.cursor_col, 9);
    assert_int_equal(s.len, 9);
    assert_memory_equal(s.text, "789abcdef", 9);
    assert_true(s.more_left);
    assert_false(s.more_right);
    /* Moving inside the view does not scroll. */
    for (int i = 0; i < 5; i++)
        le_move_left(le);
    check_slice(le, 10, &s);
    assert_memory_equal(s.text, "789abcdef", 9);
    assert_int_equal(s.cursor_col, 4);
    /* Leaving on the left brings the cursor a third of the way in. */
    le_set_cursor_chars(le, 5);
    check_slice(le, 10, &s);
    assert_memory_equal(s.text, "2345678", 7);
    assert_int_equal(s.cursor_col, 3);
    assert_true(s.more_left && s.more_right);
    le_move_home(le);
    check_slice(le, 10, &s);
    assert_int_equal(s.cursor_col, 0);
    assert_memory_equal(s.text, "0123456789", 10);
    assert_false(s.more_left);
    assert_true(s.more_right);
    /* Deleting fills the field from the left again. */
    le_move_end(le);
    check_slice(le, 10, &s);
    le_kill_word_back(le);
    le_insert_str(le, "xy", 2);
    check_slice(le, 10, &s);
    assert_false(s.more_left);
    assert_string_equal(le_text(le), "xy");

    /* Wide characters never straddle the edge. */
    le_set_text(le, "日本語のテキスト");
    check_slice(le, 9, &s);
    assert_int_equal(s.cursor_col, 8);
    assert_int_equal(s.width, 8);
    le_move_home(le);
    check_slice(le, 9, &s);
    assert_int_equal(s.width, 8); /* the 5th character would need columns 9-10 */
    assert_true(s.more_right);
    le_move_right(le);
    le_move_right(le);
    le_move_right(le);
    le_move_right(le);
    check_slice(le, 9, &s);
    assert_int_equal(s.cursor_col, 6); /* scrolled by one character */
    assert_true(s.more_left);
    /* Fields too narrow for a character still keep the invariants. */
    check_slice(le, 1, &s);
    assert_int_equal(s.width, 0);
    check_slice(le, 2, &s);
    assert_int_equal(s.width, 2);
    le_visible(le, 0, &s);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.width, 0);
    le_clear(le);
    check_slice(le, 1, &s);
    assert_int_equal(s.len, 0);
    assert_int_equal(s.cursor_col, 0);
}

static void test_history(void **state)
{
    lineedit *le = *state;
    le_history *h = le_history_new(3);
    assert_non_null(h);
    /* No history attached: Up/Down are the caller's. */
    assert_int_equal(le_handle_key(le, KM_UP), LE_KEY_NONE);
    le_set_history(le, h);
    assert_int_equal(le_handle_key(le, KM_UP), LE_KEY_NOOP); /* empty */
    assert_int_equal(le_history_add(h, "один"), 0);
    assert_int_equal(le_history_add(h, ""), 0);     /* not stored */
    assert_int_equal(le_history_add(h, "два"), 0);
    assert_int_equal(le_history_add(h, "два"), 0);  /* consecutive duplicate */
    assert_int_equal(le_history_add(h, "три"), 0);
    assert_int_equal(le_history_count(h), 3);
    assert_int_equal(le_history_add(h, "четыре"), 0); /* "один" dropped */
    assert_int_equal(le_history_count(h), 3);
    assert_string_equal(le_history_get(h, 0), "четыре");
    assert_string_equal(le_history_get(h, 2), "два");
    assert_null(le_history_get(h, 3));

    /* The line being edited survives a trip through the history. */
    type(le, "черновик");
    le_move_left(le);
    assert_int_equal(le_handle_key(le, KM_UP), LE_KEY_CHANGED);
    assert_string_equal(le_text(le), "четыре");
    assert_int_equal(le_cursor(le), le_len(le));
    assert_int_equal(le_handle_key(le, 0x10), LE_KEY_CHANGED); /* C-p */
    assert_string_equal(le_text(le), "три");
    assert_int_equal(le_handle_key(le, KM_UP), LE_KEY_CHANGED);
    assert_string_equal(le_text(le), "два");
    assert_int_equal(le_handle_key(le, KM_UP), LE_KEY_NOOP); /* oldest */
    assert_string_equal(le_text(le), "два");
    assert_int_equal(le_handle_key(le, KM_DOWN), LE_KEY_CHANGED);
    assert_string_equal(le_text(le), "три");
    assert_int_equal(le_handle_key(le, 0x0E), LE_KEY_CHANGED); /* C-n */
    assert_int_equal(le_handle_key(le, KM_DOWN), LE_KEY_CHANGED);
    assert_string_equal(le_text(le), "черновик");
    assert_int_equal(le_handle_key(le, KM_DOWN), LE_KEY_NOOP);
    /* Editing a recalled line and going back down still restores the draft. */
    le_history_prev(le);
    type(le, "!");
    assert_string_equal(le_text(le), "четыре!");
    assert_true(le_history_next(le));
    assert_string_equal(le_text(le), "черновик");
    /* Setting the text ends the browsing: Down does nothing then. */
    le_history_prev(le);
    le_set_text(le, "новое");
    assert_false(le_history_next(le));
    /* So does a new entry: the next Up starts from the newest. */
    le_history_prev(le);
    le_history_prev(le);
    assert_int_equal(le_history_add(h, le_text(le)), 0); /* "три" again */
    assert_true(le_history_prev(le));
    assert_string_equal(le_text(le), "три");
    assert_true(le_history_next(le));
    assert_string_equal(le_text(le), "три"); /* the draft was "три" */
    le_set_history(le, NULL);
    le_history_free(h);
    le_history_free(NULL);
}

/* Random keys and pastes never break the invariants: valid UTF-8 without
 * controls, the cursor on a boundary, the slice measured as drawn. */
static void test_random_keys_keep_invariants(void **state)
{
    lineedit *le = *state;
    le_history *h = le_history_new(4);
    le_set_history(le, h);
    static const int pool[] = {'a', ' ', '-', 0x416, 0x451, 0x65E5, 0x1F600, 0x301, 0x0306,
                               KM_LEFT, KM_RIGHT, KM_HOME, KM_END, KM_BACKSPACE, KM_DEL, 0x17,
                               0x15, 0x0B, 0x19, KM_UP, KM_DOWN, KM_META | 'b', KM_META | 'f',
                               KM_META | 'd', KM_META | KM_BACKSPACE, 0x1b, '\n'};
    unsigned seed = 12345;
    for (int i = 0; i < 20000; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = (seed >> 16) & 0x7fff;
        if (r % 50 == 0) {
            char junk[6];
            for (int j = 0; j < 6; j++)
                junk[j] = (char)((r * (unsigned)(j + 7)) & 0xff);
            le_insert_str(le, junk, sizeof junk);
        } else if (r % 97 == 0) {
            le_history_add(h, le_text(le));
        } else {
            le_handle_key(le, pool[r % (sizeof pool / sizeof *pool)]);
        }
        const char *t = le_text(le);
        size_t len = le_len(le), k = 0;
        assert_int_equal(strlen(t), len);
        while (k < len) {
            uint32_t cp;
            size_t n = text_utf8_decode(t + k, len - k, &cp);
            assert_true(n > 0);
            assert_true(cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0));
            k += n;
        }
        assert_true(le_cursor(le) <= len);
        assert_true(le_cursor(le) == len || ((unsigned char)t[le_cursor(le)] & 0xC0) != 0x80);
        le_slice s;
        check_slice(le, 1 + (int)(r % 12), &s);
    }
    le_set_history(le, NULL);
    le_history_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cyrillic_by_character, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wide_and_combining, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_input_replaced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grows_whole_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_word_motion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kills_and_yank, setup, teardown),
        cmocka_unit_test_setup_teardown(test_visible_scrolls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_random_keys_keep_invariants, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
