/* Checklist definitions (DESIGN §7): JSON files in data/checklists/ and the
 * user's $XDG_CONFIG_HOME/cxm-console/checklists/. A definition names its
 * purpose (dissatisfaction | delight), titles in Russian and English, which
 * incidents it applies to, and sections of items; a section may be
 * staff-related. Every file is validated on load: a bad one is reported
 * ("FILE: $.sections[1].items[0].id: ...") and skipped, the others load. */
#ifndef CXM_CHECKLIST_H
#define CXM_CHECKLIST_H

#include <stdbool.h>
#include <stddef.h>

#define CHECKLIST_ID_MAX 64        /* bytes of an id: [a-z0-9_.-] */
#define CHECKLIST_FILE_MAX (1 << 20)
#define CHECKLIST_ITEMS_MAX 200    /* per definition */
#define CHECKLIST_SECTIONS_MAX 40

typedef enum { CK_DISSATISFACTION, CK_DELIGHT } checklist_purpose;

/* applies_to as bits: CK_APPLY_RATING_* for "rating:negative|neutral|positive",
 * and (1u << (CK_APPLY_TYPE_SHIFT + event_type)) for a whole event type
 * ("red_button", "force_majeure", "silent", "rating", ...). */
enum {
    CK_APPLY_RATING_NEGATIVE = 1u << 0,
    CK_APPLY_RATING_NEUTRAL = 1u << 1,
    CK_APPLY_RATING_POSITIVE = 1u << 2,
    CK_APPLY_TYPE_SHIFT = 3
};

typedef struct {
    char *id;          /* unique within the definition, e.g. "staff.rude" */
    char *title_en, *title_ru;
    int section;       /* index into sections */
} checklist_item;

typedef struct {
    char *id;
    char *title_en, *title_ru;
    bool staff_related;
    int first, count;  /* its items: items[first .. first+count) */
} checklist_section;

typedef struct {
    char *id;
    checklist_purpose purpose;
    char *title_en, *title_ru;
    unsigned applies;  /* CK_APPLY_* bits */
    bool field_comment, field_needs_info; /* "fields"; both by default */
    int nsections, nitems;
    checklist_section *sections;
    checklist_item *items; /* in definition order, section by section */
    char *path;        /* the file it came from */
} checklist;

typedef struct {
    checklist **v;     /* sorted by id */
    size_t n;
    char **errors;     /* one line per rejected file */
    size_t nerrors;
} checklist_set;

/* Parses and validates one definition. 0 with *out set (checklist_free it),
 * or -1 with err = "NAME: $.path: problem". `name` is used in messages only. */
int checklist_parse(const char *json, size_t len, const char *name, checklist **out, char *err,
                    size_t errlen);
void checklist_free(checklist *c);

/* Loads every *.json of the given directories in order (NULL-terminated; a
 * missing directory is not an error). A later directory's definition with
 * the same id replaces an earlier one (the user's dir comes last, so it
 * overrides the shipped files). Bad files land in set->errors. Returns 0, or
 * -1 only when out of memory. */
int checklist_load_dirs(checklist_set *set, const char *const *dirs);

/* The standard search: $CXM_CHECKLISTS_DIR when set (tests, relocated
 * trees), else the source tree's data/checklists (uninstalled build) or the
 * installed share dir, then the user's config dir. */
int checklist_load_default(checklist_set *set);
/* The directories checklist_load_default reads, NULL-terminated, malloc'd
 * strings in a malloc'd array (free with checklist_dirs_free). */
char **checklist_default_dirs(void);
void checklist_dirs_free(char **dirs);

void checklist_set_free(checklist_set *set);

const checklist *checklist_find(const checklist_set *set, const char *id);
/* Index of the item, -1 when the definition has none of that id. */
int checklist_item_index(const checklist *c, const char *item_id);
/* Whether the definition applies to an event of this type and (for ratings)
 * polarity (rating_polarity of event.h). */
bool checklist_applies(const checklist *c, int ev_type, int polarity);
/* The first definition (by id) of the given purpose that applies; when
 * purpose < 0, of any purpose, dissatisfaction first. NULL when none. */
const checklist *checklist_for_event(const checklist_set *set, int ev_type, int polarity,
                                     int purpose);

const char *checklist_purpose_name(checklist_purpose p);
/* Picks the title by the i18n language. */
const char *checklist_title(const char *en, const char *ru);

#endif
