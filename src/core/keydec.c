/* Key decoding after curses (include/cxm/keydec.h). */
#include "cxm/keydec.h"

#include <string.h>

#include "cxm/keymap.h"

enum { ST_GROUND, ST_ESC, ST_CSI, ST_SS3, ST_CSI_LINUX, ST_SKIP };

void keydec_init(keydec *d)
{
    memset(d, 0, sizeof *d);
}

int keydec_pending(const keydec *d)
{
    return d->state != ST_GROUND;
}

/* Esc [ <n> ~ */
static int tilde_key(int n)
{
    switch (n) {
    case 1:
    case 7:
        return KM_HOME;
    case 2:
        return KM_INS;
    case 3:
        return KM_DEL;
    case 4:
    case 8:
        return KM_END;
    case 5:
        return KM_PGUP;
    case 6:
        return KM_PGDN;
    }
    static const int fkeys[][2] = {{11, 1}, {12, 2}, {13, 3}, {14, 4}, {15, 5}, {17, 6},
                                   {18, 7}, {19, 8}, {20, 9}, {21, 10}, {23, 11}, {24, 12}};
    for (size_t i = 0; i < sizeof fkeys / sizeof fkeys[0]; i++)
        if (fkeys[i][0] == n)
            return KM_F0 + fkeys[i][1];
    return KM_KEY_NONE;
}

/* The final byte of a CSI or SS3 sequence without parameters. */
static int letter_key(int c)
{
    switch (c) {
    case 'A':
        return KM_UP;
    case 'B':
        return KM_DOWN;
    case 'C':
        return KM_RIGHT;
    case 'D':
        return KM_LEFT;
    case 'H':
        return KM_HOME;
    case 'F':
        return KM_END;
    case 'Z':
        return KM_BTAB;
    case 'P':
    case 'Q':
    case 'R':
    case 'S':
        return KM_F0 + 1 + (c - 'P');
    }
    return KM_KEY_NONE;
}

/* Parameters "a;b" (digits only) into at most two numbers; -1 when absent
 * or when there is anything else (private markers such as '<' or '?'). */
static int params(const char *s, int n, int *p1, int *p2)
{
    *p1 = *p2 = -1;
    int *cur = p1, v = -1;
    for (int i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            v = (v < 0 ? 0 : v) * 10 + (c - '0');
            if (v > 9999)
                return -1;
        } else if (c == ';' && cur == p1) {
            *p1 = v;
            v = -1;
            cur = p2;
        } else {
            return -1;
        }
    }
    *cur = v;
    return 0;
}

/* A finished CSI sequence: the key, or KM_SWALLOWED. */
static int csi_key(const keydec *d, int final)
{
    int p1, p2;
    if (params(d->seq, d->n, &p1, &p2))
        return KM_SWALLOWED;
    int k = final == '~' ? (p1 >= 0 ? tilde_key(p1) : KM_KEY_NONE)
                         : (p1 <= 1 ? letter_key(final) : KM_KEY_NONE);
    if (k == KM_KEY_NONE || (final == 'Z' && p2 >= 0))
        return KM_SWALLOWED;
    /* xterm modifiers: 1 + (Shift 1 | Alt 2 | Ctrl 4 | Meta 8). Alt or Meta
     * make a Meta key; Shift and Ctrl are dropped rather than guessed at. */
    if (p2 > 1 && p2 <= 16 && ((p2 - 1) & (2 | 8)))
        k |= KM_META;
    else if (p2 > 16)
        return KM_SWALLOWED;
    return k;
}

static int emit(int *out, int n, int key)
{
    out[n] = key;
    return n + 1;
}

static int ground(keydec *d, int in, int *out, int n)
{
    if (in == 27) {
        d->state = ST_ESC;
        return n;
    }
    return emit(out, n, in);
}

int keydec_feed(keydec *d, int in, int out[KEYDEC_OUT_MAX])
{
    if (in < 0 || (in > 0x10FFFF && in < KM_SPECIAL) || in >= KM_META)
        return 0; /* not a unit the terminal layer produces */
    switch (d->state) {
    case ST_GROUND:
        return ground(d, in, out, 0);
    case ST_ESC:
        if (in == '[') {
            d->state = ST_CSI;
            d->n = 0;
            return 0;
        }
        if (in == 'O') {
            d->state = ST_SS3;
            return 0;
        }
        if (in == 27) /* Esc Esc: the first is a key of its own */
            return emit(out, 0, 27);
        if (in == KM_MOUSE || in == KM_SWALLOWED) { /* never Meta */
            d->state = ST_GROUND;
            return emit(out, emit(out, 0, 27), in);
        }
        d->state = ST_GROUND;
        return emit(out, 0, in | KM_META);
    case ST_SS3:
        d->state = ST_GROUND;
        if (in == 'M')
            return emit(out, 0, '\n'); /* keypad Enter */
        if (in >= 0x40 && in <= 0x7E) {
            int k = letter_key(in);
            return emit(out, 0, k == KM_KEY_NONE || k == KM_BTAB ? KM_SWALLOWED : k);
        }
        /* not a sequence after all: swallow Esc O, the key stands alone */
        return ground(d, in, out, emit(out, 0, KM_SWALLOWED));
    case ST_CSI_LINUX: /* Esc [ [ A..E: the Linux console's F1-F5 */
        d->state = ST_GROUND;
        if (in >= 'A' && in <= 'E')
            return emit(out, 0, KM_F0 + 1 + (in - 'A'));
        if (in >= 0x40 && in <= 0x7E)
            return emit(out, 0, KM_SWALLOWED);
        return ground(d, in, out, emit(out, 0, KM_SWALLOWED));
    case ST_CSI:
    case ST_SKIP:
        if (d->state == ST_CSI && in == '[' && d->n == 0) {
            d->state = ST_CSI_LINUX;
            return 0;
        }
        if (in >= 0x20 && in <= 0x3F) { /* parameter and intermediate bytes */
            if (d->state == ST_CSI && d->n < KEYDEC_SEQ_MAX)
                d->seq[d->n++] = (char)in;
            else
                d->state = ST_SKIP; /* too long to be a key: read on to its end */
            return 0;
        }
        if (in >= 0x40 && in <= 0x7E) {
            int k = d->state == ST_CSI ? csi_key(d, in) : KM_SWALLOWED;
            d->state = ST_GROUND;
            d->n = 0;
            return emit(out, 0, k);
        }
        /* Anything else cannot be inside a sequence: drop what was read of
         * it and take the unit as the key it is. */
        d->state = ST_GROUND;
        d->n = 0;
        return ground(d, in, out, emit(out, 0, KM_SWALLOWED));
    }
    d->state = ST_GROUND;
    return 0;
}

int keydec_flush(keydec *d, int out[KEYDEC_OUT_MAX])
{
    int n = 0;
    switch (d->state) {
    case ST_ESC:
        n = emit(out, 0, 27);
        break;
    case ST_SS3: /* Esc O and nothing after it: Alt+O */
        n = emit(out, 0, 'O' | KM_META);
        break;
    case ST_CSI:
        n = emit(out, 0, d->n == 0 ? ('[' | KM_META) : KM_SWALLOWED);
        break;
    case ST_CSI_LINUX:
    case ST_SKIP:
        n = emit(out, 0, KM_SWALLOWED);
        break;
    default:
        break;
    }
    d->state = ST_GROUND;
    d->n = 0;
    return n;
}
