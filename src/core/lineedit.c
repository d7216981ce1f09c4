/* The line editor model (lineedit.h). The text is kept clean on the way in
 * (valid UTF-8, no controls), so every other operation can walk it without
 * re-validating. Positions are byte offsets on "character" boundaries: a code
 * point and the zero-width marks after it move, delete and scroll together,
 * so a cursor never splits "й" written as и + U+0306. */
#include <stdlib.h>
#include <string.h>

#include "cxm/keymap.h"
#include "cxm/lineedit.h"
#include "cxm/mem.h"
#include "cxm/text.h"

struct le_history {
    char **items; /* oldest first */
    size_t n, cap, max;
    unsigned long gen; /* bumped on every add: editors browsing it start over */
};

struct lineedit {
    char *buf; /* NUL-terminated */
    size_t len, cap;
    size_t cur;
    size_t scroll; /* first byte shown by le_visible */
    size_t limit;  /* max code points, 0 = none */
    char *kill;
    size_t kill_len;
    le_history *hist;
    long hpos; /* -1 not browsing, else entry index (0 = newest) */
    unsigned long hgen;
    char *draft; /* the line being edited when browsing started */
};

static const char EMPTY[] = "";

/* ---- walking the text --------------------------------------------------- */

static uint32_t cp_at(const lineedit *le, size_t pos, size_t *n)
{
    uint32_t cp = 0xFFFD;
    size_t k = text_utf8_decode(le->buf + pos, le->len - pos, &cp);
    *n = k ? k : 1; /* cannot happen: the text is validated on insertion */
    return cp;
}

static size_t prev_cp(const lineedit *le, size_t pos)
{
    while (pos > 0 && ((unsigned char)le->buf[--pos] & 0xC0) == 0x80) {
    }
    return pos;
}

static bool is_mark(uint32_t cp)
{
    return text_cp_width(cp) == 0;
}

static size_t next_boundary(const lineedit *le, size_t pos)
{
    size_t n;
    if (pos >= le->len) return le->len;
    cp_at(le, pos, &n);
    pos += n;
    while (pos < le->len && is_mark(cp_at(le, pos, &n)))
        pos += n;
    return pos;
}

static size_t prev_boundary(const lineedit *le, size_t pos)
{
    while (pos > 0) {
        size_t n;
        pos = prev_cp(le, pos);
        if (!is_mark(cp_at(le, pos, &n))) break;
    }
    return pos;
}

static size_t count_chars(const char *s, size_t len)
{
    size_t c = 0;
    for (size_t i = 0; i < len; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Columns of [a, b), both boundaries. A mark that starts the whole text is
 * drawn on a placeholder by the text module and takes one column there. */
static int width_of(const lineedit *le, size_t a, size_t b)
{
    int w = 0;
    size_t n;
    if (a == 0 && a < b && text_is_utf8() && is_mark(cp_at(le, 0, &n))) w = 1;
    while (a < b) {
        w += text_cp_width(cp_at(le, a, &n));
        a += n;
    }
    return w;
}

static bool is_word_at(const lineedit *le, size_t pos)
{
    size_t n;
    return text_is_alnum(cp_at(le, pos, &n));
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
           cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

static bool is_space_at(const lineedit *le, size_t pos)
{
    size_t n;
    return is_space(cp_at(le, pos, &n));
}

/* ---- changing the text -------------------------------------------------- */

static int reserve(lineedit *le, size_t extra)
{
    if (extra > (size_t)-1 - le->len - 1) return -1;
    return mem_grow(&le->buf, &le->cap, le->len + extra, 1, 64);
}

static int insert_bytes(lineedit *le, const char *b, size_t n)
{
    if (n == 0) return 0;
    if (reserve(le, n) != 0) return -1;
    memmove(le->buf + le->cur + n, le->buf + le->cur, le->len - le->cur + 1);
    memcpy(le->buf + le->cur, b, n);
    le->len += n;
    if (le->scroll > le->cur) le->scroll += n;
    le->cur += n;
    /* Text put in front of a mark that began the line adopts it. */
    size_t k;
    while (le->cur < le->len && is_mark(cp_at(le, le->cur, &k)))
        le->cur += k;
    return 0;
}

/* Removes [a, b); the text goes to the kill buffer when `keep`. */
static bool remove_range(lineedit *le, size_t a, size_t b, bool keep)
{
    if (a >= b) return false;
    if (keep) {
        char *k = malloc(b - a + 1);
        if (k) {
            memcpy(k, le->buf + a, b - a);
            k[b - a] = '\0';
            free(le->kill);
            le->kill = k;
            le->kill_len = b - a;
        }
    }
    memmove(le->buf + a, le->buf + b, le->len - b + 1);
    le->len -= b - a;
    if (le->cur >= b)
        le->cur -= b - a;
    else if (le->cur > a)
        le->cur = a;
    if (le->scroll >= b)
        le->scroll -= b - a;
    else if (le->scroll > a)
        le->scroll = a;
    return true;
}

static size_t room(const lineedit *le)
{
    if (!le->limit) return (size_t)-1;
    size_t have = count_chars(le->buf, le->len);
    return have >= le->limit ? 0 : le->limit - have;
}

static bool cp_allowed(uint32_t cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    return cp <= 0x10FFFF;
}

/* ---- public ------------------------------------------------------------- */

lineedit *le_new(void)
{
    lineedit *le = calloc(1, sizeof *le);
    if (!le) return NULL;
    if (reserve(le, 0) != 0) {
        free(le);
        return NULL;
    }
    le->buf[0] = '\0';
    le->hpos = -1;
    return le;
}

static void end_browsing(lineedit *le)
{
    free(le->draft);
    le->draft = NULL;
    le->hpos = -1;
}

void le_free(lineedit *le)
{
    if (!le) return;
    end_browsing(le);
    free(le->buf);
    free(le->kill);
    free(le);
}

const char *le_text(const lineedit *le)
{
    return le->buf ? le->buf : EMPTY;
}

size_t le_len(const lineedit *le)
{
    return le->len;
}

size_t le_chars(const lineedit *le)
{
    return count_chars(le->buf, le->len);
}

size_t le_cursor(const lineedit *le)
{
    return le->cur;
}

size_t le_cursor_chars(const lineedit *le)
{
    return count_chars(le->buf, le->cur);
}

int le_width(const lineedit *le)
{
    return width_of(le, 0, le->len);
}

static int replace_text(lineedit *le, const char *s)
{
    le->len = le->cur = le->scroll = 0;
    le->buf[0] = '\0';
    return s ? le_insert_str(le, s, strlen(s)) : 0;
}

int le_set_text(lineedit *le, const char *s)
{
    end_browsing(le);
    return replace_text(le, s);
}

void le_clear(lineedit *le)
{
    le_set_text(le, NULL);
}

void le_set_limit(lineedit *le, size_t max_chars)
{
    le->limit = max_chars;
}

void le_set_cursor_chars(lineedit *le, size_t chars)
{
    size_t pos = 0;
    while (pos < le->len && chars > 0) {
        size_t n;
        cp_at(le, pos, &n);
        pos += n;
        chars--;
    }
    size_t n;
    while (pos < le->len && is_mark(cp_at(le, pos, &n)))
        pos += n;
    le->cur = pos;
}

int le_insert_cp(lineedit *le, uint32_t cp)
{
    char b[4];
    if (!cp_allowed(cp) || room(le) == 0) return -1;
    size_t n = text_utf8_encode(cp, b);
    return n ? insert_bytes(le, b, n) : -1;
}

int le_insert_str(lineedit *le, const char *s, size_t len)
{
    /* Cleaned into a scratch buffer first so a long paste is one memmove. */
    size_t left = room(le);
    if (len > ((size_t)-1) / 3) return -1;
    char *tmp = malloc(len * 3 + 1); /* U+FFFD (3 bytes) per invalid byte at worst */
    if (!tmp) return -1;
    size_t o = 0, i = 0;
    int rc = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = text_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            cp = 0xFFFD;
            n = 1;
        }
        if (cp == '\r' && i + 1 < len && s[i + 1] == '\n') n = 2; /* CRLF: one break */
        i += n;
        if (cp == '\t' || cp == '\n' || cp == '\r')
            cp = ' ';
        else if (!cp_allowed(cp))
            continue;
        if (left == 0) {
            rc = -1;
            break;
        }
        left--;
        o += text_utf8_encode(cp, tmp + o);
    }
    if (insert_bytes(le, tmp, o) != 0) rc = -1;
    free(tmp);
    return rc;
}

bool le_move_left(lineedit *le)
{
    size_t p = prev_boundary(le, le->cur);
    bool moved = p != le->cur;
    le->cur = p;
    return moved;
}

bool le_move_right(lineedit *le)
{
    size_t p = next_boundary(le, le->cur);
    bool moved = p != le->cur;
    le->cur = p;
    return moved;
}

bool le_move_home(lineedit *le)
{
    bool moved = le->cur != 0;
    le->cur = 0;
    return moved;
}

bool le_move_end(lineedit *le)
{
    bool moved = le->cur != le->len;
    le->cur = le->len;
    return moved;
}

static size_t word_start_before(const lineedit *le, size_t p)
{
    while (p > 0 && !is_word_at(le, prev_boundary(le, p)))
        p = prev_boundary(le, p);
    while (p > 0 && is_word_at(le, prev_boundary(le, p)))
        p = prev_boundary(le, p);
    return p;
}

static size_t word_end_after(const lineedit *le, size_t p)
{
    while (p < le->len && !is_word_at(le, p))
        p = next_boundary(le, p);
    while (p < le->len && is_word_at(le, p))
        p = next_boundary(le, p);
    return p;
}

bool le_move_word_left(lineedit *le)
{
    size_t p = word_start_before(le, le->cur);
    bool moved = p != le->cur;
    le->cur = p;
    return moved;
}

bool le_move_word_right(lineedit *le)
{
    size_t p = word_end_after(le, le->cur);
    bool moved = p != le->cur;
    le->cur = p;
    return moved;
}

bool le_delete_back(lineedit *le)
{
    return remove_range(le, prev_boundary(le, le->cur), le->cur, false);
}

bool le_delete_forward(lineedit *le)
{
    return remove_range(le, le->cur, next_boundary(le, le->cur), false);
}

bool le_kill_word_back(lineedit *le)
{
    return remove_range(le, word_start_before(le, le->cur), le->cur, true);
}

bool le_kill_word_forward(lineedit *le)
{
    return remove_range(le, le->cur, word_end_after(le, le->cur), true);
}

bool le_kill_space_word_back(lineedit *le)
{
    size_t p = le->cur;
    while (p > 0 && is_space_at(le, prev_boundary(le, p)))
        p = prev_boundary(le, p);
    while (p > 0 && !is_space_at(le, prev_boundary(le, p)))
        p = prev_boundary(le, p);
    return remove_range(le, p, le->cur, true);
}

bool le_kill_to_start(lineedit *le)
{
    return remove_range(le, 0, le->cur, true);
}

bool le_kill_to_end(lineedit *le)
{
    return remove_range(le, le->cur, le->len, true);
}

bool le_yank(lineedit *le)
{
    if (!le->kill || le->kill_len == 0) return false;
    size_t before = le->len;
    le_insert_str(le, le->kill, le->kill_len);
    return le->len != before;
}

/* ---- horizontal scrolling ----------------------------------------------- */

static int cell_at(const lineedit *le, size_t pos)
{
    if (pos >= le->len) return 1; /* the end-of-text cursor */
    int w = width_of(le, pos, next_boundary(le, pos));
    return w > 0 ? w : 1;
}

void le_visible(lineedit *le, int cols, le_slice *out)
{
    memset(out, 0, sizeof *out);
    out->text = le_text(le);
    if (le->scroll > le->len) le->scroll = le->len;
    /* A mark typed where the view began belongs to the character before. */
    size_t k;
    while (le->scroll > 0 && le->scroll < le->len && is_mark(cp_at(le, le->scroll, &k)))
        le->scroll = prev_cp(le, le->scroll);
    if (cols <= 0) {
        out->more_left = le->len > 0;
        return;
    }
    /* The cursor went out on the left: show it a third of the way in, so
     * the text being deleted with Backspace stays in sight. */
    if (le->cur < le->scroll) {
        le->scroll = le->cur;
        while (le->scroll > 0 &&
               width_of(le, prev_boundary(le, le->scroll), le->cur) <= cols / 3)
            le->scroll = prev_boundary(le, le->scroll);
    }
    /* Out on the right: scroll just enough. */
    int before = width_of(le, le->scroll, le->cur);
    int cell = cell_at(le, le->cur);
    while (before + cell > cols && le->scroll < le->cur) {
        size_t nb = next_boundary(le, le->scroll);
        before -= width_of(le, le->scroll, nb);
        le->scroll = nb;
    }
    /* Text was deleted: fill the field again from the left. A column is
     * always kept for the end-of-text cursor, so moving the cursor off the
     * end does not shift the text by one. */
    int end_cell = 1;
    int tail = width_of(le, le->scroll, le->len);
    while (le->scroll > 0) {
        size_t pb = prev_boundary(le, le->scroll);
        int w = width_of(le, pb, le->scroll);
        if (tail + w + end_cell > cols) break;
        tail += w;
        le->scroll = pb;
    }
    size_t end = le->scroll;
    int w = 0;
    while (end < le->len) {
        size_t nb = next_boundary(le, end);
        int cw = width_of(le, end, nb);
        if (w + cw > cols) break;
        w += cw;
        end = nb;
    }
    out->text = le->buf + le->scroll;
    out->len = end - le->scroll;
    out->width = w;
    out->cursor_col = width_of(le, le->scroll, le->cur);
    if (out->cursor_col >= cols) out->cursor_col = cols - 1; /* a field narrower than a wide char */
    out->more_left = le->scroll > 0;
    out->more_right = end < le->len;
}

/* ---- history ------------------------------------------------------------ */

le_history *le_history_new(size_t max)
{
    le_history *h = calloc(1, sizeof *h);
    if (h) h->max = max ? max : 100;
    return h;
}

void le_history_free(le_history *h)
{
    if (!h) return;
    for (size_t i = 0; i < h->n; i++)
        free(h->items[i]);
    free(h->items);
    free(h);
}

int le_history_add(le_history *h, const char *line)
{
    h->gen++;
    if (!line || !*line) return 0;
    if (h->n && strcmp(h->items[h->n - 1], line) == 0) return 0;
    char *copy = strdup(line);
    if (!copy) return -1;
    if (h->n == h->max) {
        free(h->items[0]);
        memmove(h->items, h->items + 1, (h->n - 1) * sizeof *h->items);
        h->n--;
    }
    if (mem_grow(&h->items, &h->cap, h->n, sizeof *h->items, 16) != 0) {
        free(copy);
        return -1;
    }
    h->items[h->n++] = copy;
    return 0;
}

size_t le_history_count(const le_history *h)
{
    return h ? h->n : 0;
}

const char *le_history_get(const le_history *h, size_t i)
{
    if (!h || i >= h->n) return NULL;
    return h->items[h->n - 1 - i];
}

void le_set_history(lineedit *le, le_history *h)
{
    end_browsing(le);
    le->hist = h;
}

static bool browsing(const lineedit *le)
{
    return le->hist && le->hpos >= 0 && le->hgen == le->hist->gen;
}

bool le_history_prev(lineedit *le)
{
    if (!le->hist || le->hist->n == 0) return false;
    if (!browsing(le)) {
        end_browsing(le);
        le->draft = strdup(le_text(le));
        if (!le->draft) return false;
        le->hgen = le->hist->gen;
    }
    if ((size_t)(le->hpos + 1) >= le->hist->n) return false;
    le->hpos++;
    replace_text(le, le_history_get(le->hist, (size_t)le->hpos));
    return true;
}

bool le_history_next(lineedit *le)
{
    if (!browsing(le)) return false;
    le->hpos--;
    if (le->hpos >= 0) {
        replace_text(le, le_history_get(le->hist, (size_t)le->hpos));
    } else {
        char *d = le->draft;
        le->draft = NULL;
        replace_text(le, d);
        free(d);
    }
    return true;
}

/* ---- keys --------------------------------------------------------------- */

static le_key_result moved(bool m)
{
    return m ? LE_KEY_MOVED : LE_KEY_NOOP;
}

static le_key_result changed(bool c)
{
    return c ? LE_KEY_CHANGED : LE_KEY_NOOP;
}

static le_key_result meta_key(lineedit *le, int key)
{
    /* Meta keys are never text, so the Russian layout maps onto Latin. */
    int k = keymap_layout_latin(key) & KM_META_MASK;
    switch (k) {
    case 'b':
    case KM_LEFT:
        return moved(le_move_word_left(le));
    case 'f':
    case KM_RIGHT:
        return moved(le_move_word_right(le));
    case 'd':
        return changed(le_kill_word_forward(le));
    case KM_BACKSPACE:
    case 0x7F:
    case 0x08:
        return changed(le_kill_word_back(le));
    default:
        return LE_KEY_NONE;
    }
}

le_key_result le_handle_key(lineedit *le, int key)
{
    if (key < 0) return LE_KEY_NONE;
    if (key & KM_META) return meta_key(le, key);
    switch (key) {
    case KM_LEFT:
    case 0x02: /* C-b */
        return moved(le_move_left(le));
    case KM_RIGHT:
    case 0x06: /* C-f */
        return moved(le_move_right(le));
    case KM_HOME:
    case 0x01: /* C-a */
        return moved(le_move_home(le));
    case KM_END:
    case 0x05: /* C-e */
        return moved(le_move_end(le));
    case KM_BACKSPACE:
    case 0x7F:
    case 0x08: /* C-h */
        return changed(le_delete_back(le));
    case KM_DEL:
    case 0x04: /* C-d */
        return changed(le_delete_forward(le));
    case 0x17: /* C-w */
        return changed(le_kill_space_word_back(le));
    case 0x15: /* C-u */
        return changed(le_kill_to_start(le));
    case 0x0B: /* C-k */
        return changed(le_kill_to_end(le));
    case 0x19: /* C-y */
        return changed(le_yank(le));
    case KM_UP:
    case 0x10: /* C-p */
        if (!le->hist) return LE_KEY_NONE;
        return changed(le_history_prev(le));
    case KM_DOWN:
    case 0x0E: /* C-n */
        if (!le->hist) return LE_KEY_NONE;
        return changed(le_history_next(le));
    default:
        break;
    }
    if (key < KM_SPECIAL && cp_allowed((uint32_t)key))
        return le_insert_cp(le, (uint32_t)key) == 0 ? LE_KEY_CHANGED : LE_KEY_NOOP;
    return LE_KEY_NONE;
}
