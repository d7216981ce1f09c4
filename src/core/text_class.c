/* Character classes and case for the text module, from Unicode rather than
 * the process locale: glibc's classification evaluated under a private
 * "C.UTF-8" locale (as text.c does for widths), so a console started under
 * LANG=C still knows that "Ж" is a letter. When no UTF-8 locale exists a
 * small built-in rule covers Latin and Cyrillic, the scripts of our users. */
#include <locale.h>
#include <pthread.h>
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
