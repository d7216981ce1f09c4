/* One-line input on the message line (filters, custom periods, comments).
 * While open it sees every key first; the owner hears each edit (live
 * filter) and the end (Enter accepts, Esc or ^G cancels). The text is a
 * line editor model (include/cxm/lineedit.h): whole UTF-8 strings, cursor
 * by character and word, kills, and a history per prompt (Up/Down). */
#include <stdlib.h>
#include <string.h>

#include "app_priv.h"
#include "cxm/keymap.h"
#include "cxm/text.h"

/* Histories by prompt label: the search prompt remembers searches, the
 * period prompt periods. */
#define HIST_PROMPTS 16
static struct {
    char label[128];
    le_history *h;
} hists[HIST_PROMPTS];
static int nhists;

static le_history *history_for(const char *label)
{
    for (int i = 0; i < nhists; i++)
        if (!strcmp(hists[i].label, label))
            return hists[i].h;
    if (nhists == HIST_PROMPTS)
        return NULL;
    le_history *h = le_history_new(50);
    if (!h)
        return NULL;
    snprintf(hists[nhists].label, sizeof hists[nhists].label, "%s", label);
    hists[nhists++].h = h;
    return h;
}

void ui_prompt_cleanup(ui_app *app)
{
    ui_prompt_state *p = &app->priv->prompt;
    le_free(p->le);
    p->le = NULL;
    p->active = false;
    for (int i = 0; i < nhists; i++)
        le_history_free(hists[i].h);
    nhists = 0;
}

void ui_prompt(ui_app *app, const char *label, const char *initial, ui_prompt_change_fn on_change,
               ui_prompt_fn on_done, void *ud)
{
    ui_prompt_state *p = &app->priv->prompt;
    if (!p->le) {
        p->le = le_new();
        if (!p->le) {
            ui_message(app, UI_MSG_ERROR, "%s", "out of memory");
            return;
        }
        le_set_limit(p->le, UI_PROMPT_MAX);
    }
    snprintf(p->label, sizeof p->label, "%s", label ? label : "");
    p->hist = history_for(p->label);
    le_set_history(p->le, NULL);
    le_set_text(p->le, initial ? initial : "");
    le_set_history(p->le, p->hist);
    p->active = true;
    p->on_change = on_change;
    p->on_done = on_done;
    p->ud = ud;
    app->priv->msg_dirty = true;
}

static void finish(ui_app *app, bool accepted)
{
    ui_prompt_state *p = &app->priv->prompt;
    /* The callback may open another prompt on the same editor. */
    char *text = strdup(le_text(p->le));
    p->active = false;
    app->priv->msg_dirty = true;
    curs_set(0);
    if (accepted && p->hist && text)
        le_history_add(p->hist, text);
    if (p->on_done)
        p->on_done(p->ud, text ? text : "", accepted);
    free(text);
}

bool ui_prompt_key(ui_app *app, int key)
{
    ui_prompt_state *p = &app->priv->prompt;
    if (!p->active)
        return false;
    switch (key) {
    case '\n':
        finish(app, true);
        return true;
    case 27:
    case 7: /* ^G */
        finish(app, false);
        return true;
    default:
        break;
    }
    switch (le_handle_key(p->le, key)) {
    case LE_KEY_CHANGED:
        app->priv->msg_dirty = true;
        if (p->on_change)
            p->on_change(p->ud, le_text(p->le));
        return true;
    case LE_KEY_MOVED:
    case LE_KEY_NOOP:
        app->priv->msg_dirty = true;
        return true;
    case LE_KEY_NONE:
    default:
        /* A Meta key the editor has no use for is not swallowed: the
         * caller takes it as Esc (closing the prompt) and then the key.
         * Anything else (Tab, F-keys, a swallowed sequence) does nothing
         * while the prompt is open. */
        return !KM_IS_META(key);
    }
}

void ui_prompt_draw(ui_app *app, WINDOW *w)
{
    ui_prompt_state *p = &app->priv->prompt;
    int cols = getmaxx(w);
    werase(w);
    int x = ui_put(w, 0, 0, p->label, cols / 2, TH_PROMPT, false);
    x += ui_put(w, 0, x, " ", 1, TH_PROMPT, false);
    int cx = ui_lineedit_draw(w, 0, x, cols - x, p->le, TH_NORMAL);
    wmove(w, 0, cx < cols ? cx : cols - 1);
    curs_set(1);
}
