/* The Russian ЙЦУКЕН layout mapped onto the US QWERTY key positions. Only
 * the positions matter, so the table is indexed by the Cyrillic letter and
 * gives the unshifted Latin character; the shifted character comes from the
 * US keyboard's shift pairs for the punctuation keys. */
#include "cxm/keymap.h"

/* а..я (U+0430..U+044F) -> the US key at the same place, unshifted. */
static const char lower_map[32] = {
    'f',  /* а */ ',', /* б */ 'd', /* в */ 'u', /* г */ 'l', /* д */ 't', /* е */
    ';',  /* ж */ 'p', /* з */ 'b', /* и */ 'q', /* й */ 'r', /* к */ 'k', /* л */
    'v',  /* м */ 'y', /* н */ 'j', /* о */ 'g', /* п */ 'h', /* р */ 'c', /* с */
    'n',  /* т */ 'e', /* у */ 'a', /* ф */ '[', /* х */ 'w', /* ц */ 'x', /* ч */
    'i',  /* ш */ 'o', /* щ */ ']', /* ъ */ 's', /* ы */ 'm', /* ь */ '\'', /* э */
    '.',  /* ю */ 'z', /* я */
};

/* The US shift pairs for the punctuation keys that carry Russian letters. */
static int us_shift(int c)
{
    switch (c) {
    case ',': return '<';
    case '.': return '>';
    case ';': return ':';
    case '\'': return '"';
    case '[': return '{';
    case ']': return '}';
    case '`': return '~';
    default: return c >= 'a' && c <= 'z' ? c - 32 : c;
    }
}

int keymap_layout_latin(int key)
{
    int meta = key & KM_META;
    int cp = key & KM_META_MASK;
    int out;
    if (key < 0)
        return key;
    if (cp >= 0x430 && cp <= 0x44F)
        out = lower_map[cp - 0x430];
    else if (cp >= 0x410 && cp <= 0x42F)
        out = us_shift(lower_map[cp - 0x410]);
    else if (cp == 0x451) /* ё */
        out = '`';
    else if (cp == 0x401) /* Ё */
        out = '~';
    else
        return key;
    return out | meta;
}
