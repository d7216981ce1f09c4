/* The message catalogue (DESIGN §1: every label exists in Russian and
 * English). A static table, so it works without installed .mo files: the
 * English text is the key, `_("Dashboard")` returns the Russian when the
 * language is Russian and a translation exists, the English otherwise.
 * Catalogue parts: src/core/i18n_ui.def (screen, status, help), i18n_views.def
 * (dashboard, stream, detail, kpi), i18n_alerts.def — one owner each, lines of
 *     I18N("English", "Русский")
 * tests/unit/test_i18n.c checks that every _("...") in ui/ has an entry. */
#ifndef CXM_I18N_H
#define CXM_I18N_H

#include <stddef.h>

typedef enum { LANG_EN, LANG_RU } i18n_lang;

/* From LC_ALL / LC_MESSAGES / LANG (first non-empty, as setlocale does):
 * "ru*" -> LANG_RU, anything else -> LANG_EN. */
i18n_lang i18n_lang_from_env(void);
/* "ru", "en" (also "ru_RU.UTF-8" ...). Returns -1 when neither. */
int i18n_lang_parse(const char *s);
const char *i18n_lang_code(i18n_lang l); /* "en", "ru" */

void i18n_set_lang(i18n_lang l);
i18n_lang i18n_get_lang(void);

/* The translation of `en` in the current language (en itself when missing).
 * format_arg: printf-checking sees through _("...") to the English literal
 * (as with gettext), so ui_message(app, lvl, _("text")) is not flagged. */
const char *i18n_tr(const char *en) __attribute__((format_arg(1)));
/* The Russian of `en` whatever the current language (en when missing): for
 * text kept in both languages until it is shown (a feed's error reason). */
const char *i18n_ru(const char *en) __attribute__((format_arg(1)));
/* Picks one of two given texts by the current language (tables that carry both). */
const char *i18n_pick(const char *en, const char *ru);
/* Whether `en` has a Russian entry (tests). */
int i18n_has(const char *en);
size_t i18n_count(void);
/* An English key the catalogue's parts translate in two different ways, or
 * NULL: which one a lookup found would depend on the sort (tests). */
const char *i18n_conflict(void);

#define _(s) i18n_tr(s)
#define N_(s) (s) /* marks a string for the catalogue without translating it here */

#endif
