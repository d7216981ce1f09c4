/* The message catalogue: a static table searched by binary search. The parts
 * are .def files with one owner each, so helpers add strings without
 * touching each other's lines; a key repeated across parts must carry the
 * same Russian (test_i18n checks i18n_conflict): qsort is not stable, so
 * which of two different ones a lookup finds is not defined. One English
 * word with two meanings needs two keys. */
#include "cxm/i18n.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *en, *ru;
} i18n_pair;

static i18n_pair catalogue[] = {
#define I18N(en, ru) {en, ru},
#include "i18n_ui.def"
#include "i18n_views.def"
#include "i18n_alerts.def"
#include "i18n_cli.def"
#include "i18n_audio.def"
#include "i18n_core.def"
#include "i18n_checklist.def"
#include "i18n_hostile.def"
#include "i18n_card.def"
#include "i18n_search.def"
#include "i18n_errors_audio.def"
#include "i18n_errors.def"
#include "i18n_linkfetch.def"
#undef I18N
    {"", ""} /* keeps the array non-empty while parts are empty */
};

static const size_t ncatalogue = sizeof catalogue / sizeof catalogue[0];
static pthread_once_t sort_once = PTHREAD_ONCE_INIT;
/* Atomic: the UI thread sets it, worker threads (the Telegram clip worker,
 * audio library callbacks) read it through _(). */
static _Atomic i18n_lang current = LANG_EN;

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((const i18n_pair *)a)->en, ((const i18n_pair *)b)->en);
}

static void sort_catalogue(void)
{
    qsort(catalogue, ncatalogue, sizeof catalogue[0], cmp_pair);
}

/* Sorting at first use keeps the .def files in a readable order (grouped
 * by screen) instead of alphabetical. Once, under pthread_once: error texts
 * are translated on worker threads too (the Telegram clip worker, libmpv /
 * libvlc callbacks), and two first callers must not sort the table at once
 * or search it half sorted. */
static void ensure_sorted(void)
{
    pthread_once(&sort_once, sort_catalogue);
}

static const i18n_pair *find(const char *en)
{
    ensure_sorted();
    i18n_pair key = {en, NULL};
    return bsearch(&key, catalogue, ncatalogue, sizeof catalogue[0], cmp_pair);
}

const char *i18n_conflict(void)
{
    ensure_sorted();
    for (size_t i = 1; i < ncatalogue; i++)
        if (!strcmp(catalogue[i - 1].en, catalogue[i].en) && strcmp(catalogue[i - 1].ru, catalogue[i].ru))
            return catalogue[i].en;
    return NULL;
}

int i18n_lang_parse(const char *s)
{
    if (!s)
        return -1;
    if (!strncmp(s, "ru", 2) || !strncmp(s, "RU", 2))
        return LANG_RU;
    if (!strncmp(s, "en", 2) || !strncmp(s, "EN", 2) || !strcmp(s, "C") || !strcmp(s, "POSIX"))
        return LANG_EN;
    return -1;
}

i18n_lang i18n_lang_from_env(void)
{
    /* The precedence setlocale(LC_MESSAGES, "") uses. */
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return i18n_lang_parse(v) == LANG_RU ? LANG_RU : LANG_EN;
    }
    return LANG_EN;
}

const char *i18n_lang_code(i18n_lang l)
{
    return l == LANG_RU ? "ru" : "en";
}

void i18n_set_lang(i18n_lang l)
{
    current = l == LANG_RU ? LANG_RU : LANG_EN;
}

i18n_lang i18n_get_lang(void)
{
    return current;
}

const char *i18n_tr(const char *en)
{
    if (current == LANG_EN || !en || !*en)
        return en;
    const i18n_pair *p = find(en);
    return p ? p->ru : en;
}

const char *i18n_ru(const char *en)
{
    if (!en || !*en)
        return en;
    const i18n_pair *p = find(en);
    return p ? p->ru : en;
}

const char *i18n_pick(const char *en, const char *ru)
{
    return current == LANG_RU && ru && *ru ? ru : en;
}

int i18n_has(const char *en)
{
    return en && *en && find(en) != NULL;
}

size_t i18n_count(void)
{
    return ncatalogue - 1;
}
