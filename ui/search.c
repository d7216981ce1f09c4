/* The `/` search shared by the dashboard, KPI and alerts views (search.h). */
#include "search.h"

#include <stdio.h>
#include <string.h>

#include "cxm/text.h"

void ui_search_init(ui_search *s, ui_view *view, void (*apply)(ui_view *view))
{
    memset(s, 0, sizeof *s);
    s->view = view;
    s->apply = apply;
}

static void set_text(ui_search *s, const char *text)
{
    if (!strcmp(s->text, text ? text : ""))
        return;
    snprintf(s->text, sizeof s->text, "%s", text ? text : "");
    s->apply(s->view);
    s->view->dirty = true;
}

static void changed(void *ud, const char *text)
{
    set_text(ud, text);
}

static void done(void *ud, const char *text, bool accepted)
{
    ui_search *s = ud;
    set_text(s, accepted ? text : s->before);
}

void ui_search_open(ui_search *s, const char *label)
{
    snprintf(s->before, sizeof s->before, "%s", s->text);
    ui_prompt(s->view->app, label, s->text, changed, done, s);
}

bool ui_search_clear(ui_search *s)
{
    bool had = s->text[0] != 0;
    set_text(s, "");
    return had;
}

bool ui_search_match(const ui_search *s, const char *const *fields, size_t n)
{
    if (!s->text[0])
        return true;
    for (size_t i = 0; i < n; i++)
        if (fields[i] && text_contains_folded(fields[i], s->text))
            return true;
    return false;
}

int ui_search_put(const ui_search *s, WINDOW *w, int y, int x, int cols)
{
    if (!s->text[0] || cols <= 0)
        return 0;
    char what[200];
    snprintf(what, sizeof what, _("search: %s"), s->text);
    int used = ui_put(w, y, x, what, cols, TH_PROMPT, false);
    used += ui_put(w, y, x + used, " | ", cols - used, TH_DIM, false);
    return used;
}
