/* Character classes and case for the text module, from Unicode rather than
 * the process locale: glibc's classification evaluated under a private
 * "C.UTF-8" locale (as text.c does for widths), so a console started under
 * LANG=C still knows that "Ж" is a letter. When no UTF-8 locale exists a
 * small built-in rule covers Latin and Cyrillic, the scripts of our users. */
#include <locale.h>
#include <pthread.h>
#include <string.h>
#include <wctype.h>

#include "cxm/text.h"

static pthread_once_t cls_once = PTHREAD_ONCE_INIT;
static locale_t cls_loc;

static void load_locale(void)
{
    cls_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

static bool fallback_alnum(uint32_t cp)
{
    if (cp >= 0xC0 && cp <= 0x24F) return cp != 0xD7 && cp != 0xF7; /* Latin-1/Ext letters */
    if (cp >= 0x400 && cp <= 0x52F) return !(cp >= 0x482 && cp <= 0x489); /* Cyrillic */
    return false;
}

bool text_is_alnum(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
    if (cp > 0x10FFFF) return false;
    pthread_once(&cls_once, load_locale);
    if (!cls_loc) return fallback_alnum(cp);
    return iswalnum_l((wint_t)cp, cls_loc) != 0;
}

/* Latin-1, Latin Extended-A, Greek and Cyrillic: what the fallback folds. */
static uint32_t fallback_fold(uint32_t cp)
{
    if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
        (cp >= 0x410 && cp <= 0x42F))
        return cp + 0x20;
    if (cp >= 0x100 && cp <= 0x17F && cp != 0x130 && cp != 0x138 && cp != 0x149 && cp != 0x178)
        return (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E) ? cp + (cp & 1)
                                                                               : cp | 1;
    if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
    if (cp >= 0x460 && cp <= 0x4FF) return cp | 1;
    return cp;
}

uint32_t text_fold_cp(uint32_t cp)
{
    if (cp < 0x80) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    if (cp > 0x10FFFF) return cp;
    pthread_once(&cls_once, load_locale);
    if (!cls_loc) return fallback_fold(cp);
    return (uint32_t)towlower_l((wint_t)cp, cls_loc);
}

/* The next character for matching: folded, ё as е; an invalid byte becomes
 * a value no code point has, so it matches only itself. */
static uint32_t next_folded(const char **p)
{
    uint32_t cp;
    size_t n = text_utf8_decode(*p, strnlen(*p, 4), &cp);
    if (n == 0) {
        cp = 0x110000u + (unsigned char)**p;
        n = 1;
    }
    *p += n;
    cp = text_fold_cp(cp);
    return cp == 0x451 ? 0x435 : cp;
}

bool text_contains_folded(const char *hay, const char *needle)
{
    if (!*needle) return true;
    for (const char *start = hay; *start; next_folded(&start)) {
        const char *h = start, *n = needle;
        bool eq = true;
        while (*n && eq)
            eq = *h && next_folded(&h) == next_folded(&n);
        if (eq) return true; /* the whole needle matched here */
    }
    return false;
}
