/* The console's UI contract: the app context, the view interface, theme
 * element attributes, the message line and the prompt. Only ui/ includes
 * curses (DESIGN §2). One file per view; each view is a struct whose first
 * member is `ui_view` and whose behaviour is one `ui_view_ops`. */
#ifndef CXM_UI_H
#define CXM_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/config.h"
#include "cxm/event.h"
#include "cxm/feed.h"
#include "cxm/i18n.h"
#include "cxm/keymap.h"
#include "cxm/lineedit.h"
#include "cxm/loop.h"
#include "cxm/store.h"
#include "cxm/theme.h"
#include "cxm/wqueue.h"

/* ---- actions (generated from actions.def) ---- */

/* Contexts: where an action's keys apply (one bit per KM_CTX_*, named in
 * the keymap file as `bind player Space ...`). A key is looked up in the
 * focused pane's contexts, then the view's (most specific bit first), then
 * global; within one context a key means one action. */
enum {
    UI_CTX_GLOBAL = 1u << KM_CTX_GLOBAL,
    UI_CTX_LIST = 1u << KM_CTX_LIST,     /* any view with a table or scrollable text */
    UI_CTX_DASHBOARD = 1u << KM_CTX_DASHBOARD,
    UI_CTX_STREAM = 1u << KM_CTX_STREAM,
    UI_CTX_KPI = 1u << KM_CTX_KPI,       /* period/group/K: the KPI view and the dashboard */
    UI_CTX_ALERTS = 1u << KM_CTX_ALERTS,
    UI_CTX_DETAIL = 1u << KM_CTX_DETAIL,
    UI_CTX_HELP = 1u << KM_CTX_HELP,
    UI_CTX_PLAYER = 1u << KM_CTX_PLAYER, /* the audio player panel (mpv-like keys) */
    UI_CTX_FORM = 1u << KM_CTX_FORM,     /* the checklist form (number keys toggle items) */
    UI_CTX_QUEUE = 1u << KM_CTX_QUEUE,   /* the incident queue */
    UI_CTX_CAUSES = 1u << KM_CTX_CAUSES, /* the causes report */
    UI_CTX_CARD = 1u << KM_CTX_CARD      /* the employee card */
};

typedef enum {
    ACT_NONE = -1,
#define ACTION(id, name, keys, ctx, en, ru) id,
#include "actions.def"
#undef ACTION
    ACT_COUNT
} ui_action;

typedef struct {
    ui_action id;
    const char *name;    /* for the keymap file */
    const char *keys;    /* default keys */
    unsigned ctx;
    const char *help_en, *help_ru;
} ui_action_info;

const ui_action_info *ui_action_get(ui_action a);
int ui_action_from_name(const char *name); /* -1 when unknown */

/* ---- handler results (like htop's HandlerResult) ---- */
enum {
    UI_IGNORED = 0,
    UI_HANDLED = 1u << 0,
    UI_REDRAW = 1u << 1, /* the view's window is dirty */
    UI_QUIT = 1u << 2,
    UI_BACK = 1u << 3    /* pop this view (a pushed one) */
};

/* ---- views ---- */
typedef struct ui_app ui_app;
typedef struct ui_view ui_view;
typedef struct ui_pane ui_pane;

typedef struct {
    const char *name;      /* English title, translated with _() when shown */
    unsigned ctx;          /* UI_CTX_* bits of the actions this view handles (descriptive: every
                            * key reaches the top view first; what it ignores goes to the app) */
    /* Draws the whole window (werase first). Called only when dirty. */
    void (*draw)(ui_view *v, WINDOW *w);
    /* An action (ACT_NONE when the key is unbound) and the raw key (keymap.h
     * codes). Returns a UI_* mask; UI_IGNORED lets the app handle globals. */
    int (*on_action)(ui_view *v, int action, int key);
    /* Newly committed events. evs == NULL, n == 0: the database changed
     * under the view (another writer, a period change): requery. */
    void (*on_events)(ui_view *v, const event *evs, size_t n);
    /* The window was recreated with this size (optional). */
    void (*on_resize)(ui_view *v, int rows, int cols);
    /* The language or theme changed (optional): drop cached labels. */
    void (*on_restyle)(ui_view *v);
    void (*close)(ui_view *v); /* frees v */
    /* The user is leaving this view (q/Esc, switching views, quitting).
     * Optional. Return true to let them go; false to stay, after saying why
     * or asking (e.g. open a y/n prompt about unsaved changes; once answered
     * the view makes its next leave() return true and calls ui_pop or
     * ui_quit itself). */
    bool (*leave)(ui_view *v);
} ui_view_ops;

/* ---- panes ----
 * A view may split its body into panes, each with its own windows, dirty
 * flag, key context and handler (the player panel in the detail view; the
 * form: player on top, checklist below). Without panes a view draws its
 * whole body as before.
 *
 *     typedef struct { ui_view base; ui_pane player, list; ... } form_view;
 *     static const ui_pane_ops player_ops = {N_("Player"), UI_CTX_PLAYER,
 *                                            player_draw, player_action};
 *     // in the constructor, after setting base.ops/app:
 *     ui_pane_add(&v->base, &v->player, &player_ops);   // the first has focus
 *     ui_pane_add(&v->base, &v->list, &list_ops);
 *     // in on_resize(v, rows, cols): place each pane in the view's body
 *     ui_pane_place(&v->player, 0, 0, 4, cols);
 *     ui_pane_place(&v->list, 4, 0, rows - 4, cols);
 *
 * The app draws each pane's title row (the focused one marked with "▶" / ">"
 * and reverse video, so focus shows without colour) and calls draw() with
 * the window below it only when the pane is dirty (set pn->dirty, or return
 * UI_REDRAW from on_action). The view's own draw() runs first when the view
 * is dirty (it may leave the body empty) and makes every pane redraw.
 * Keys: the focused pane's contexts first, then the view's, then global;
 * the pane's on_action sees the key first, what it ignores goes to the
 * view's on_action. Tab / BTab move the focus when a view has two or more
 * panes (a pane may take Tab itself, e.g. a form moving between sections). */
#define UI_PANES_MAX 4

typedef struct {
    const char *name; /* English title, translated when shown */
    unsigned ctx;     /* UI_CTX_* bits looked up before the view's */
    void (*draw)(ui_pane *pn, WINDOW *w); /* the window below the title row */
    int (*on_action)(ui_pane *pn, int action, int key); /* UI_* mask; optional */
} ui_pane_ops;

struct ui_pane {
    const ui_pane_ops *ops;
    ui_view *view;
    bool dirty;
    int y, x, rows, cols;          /* in the view's body, title row included */
    WINDOW *w_title, *w_content;   /* the app's: made at draw time */
};

struct ui_view {
    const ui_view_ops *ops;
    ui_app *app;
    bool dirty;
    ui_pane *panes[UI_PANES_MAX]; /* ui_pane_add; zero without panes */
    int npanes, focus;
};

/* Adds a pane to a view (up to UI_PANES_MAX; -1 beyond). */
int ui_pane_add(ui_view *v, ui_pane *pn, const ui_pane_ops *ops);
/* Sets a pane's rectangle in the view's body (rows include its title row). */
void ui_pane_place(ui_pane *pn, int y, int x, int rows, int cols);
/* The focused pane, or NULL without panes. */
ui_pane *ui_pane_focused(ui_view *v);
/* Moves the focus to pane i (redraws both titles). */
void ui_pane_focus(ui_view *v, int i);

/* The app context: views read these fields; they change them only through
 * the functions below. */
struct ui_app {
    store *st;
    const cxm_config *cfg;
    hub *hub;              /* NULL when there are no sources */
    wqueue *wq;            /* every store write from a key goes through it (wqueue.h) */
    loop *lp;
    int64_t now_us;        /* wall clock, refreshed each loop pass */
    int rows, cols;        /* terminal size */
    bool utf8;             /* the terminal can show UTF-8 (else ASCII fallbacks) */
    bool colour;           /* false: monochrome */
    struct ui_app_priv *priv;
};

/* View constructors (one file each). */
ui_view *ui_dashboard_new(ui_app *app);
ui_view *ui_stream_new(ui_app *app);
ui_view *ui_kpi_new(ui_app *app);
ui_view *ui_alerts_new(ui_app *app);
ui_view *ui_detail_new(ui_app *app, const char *event_id);
ui_view *ui_help_new(ui_app *app);

/* Opens a view above the current one (detail, help); the app owns it now.
 * Never closes another view: when too many are open it refuses (closes v,
 * says so on the message line) and returns -1; else 0. */
int ui_push(ui_app *app, ui_view *v);
/* Closes the top pushed view (no-op on a main view) unless its leave()
 * refuses. Returns true when it closed. */
bool ui_pop(ui_app *app);
/* Switches to a main view: 0 dashboard, 1 stream, 2 kpi, 3 alerts (closing
 * the pushed views, each of which may refuse through leave()). */
void ui_switch(ui_app *app, int main_view);
/* Ends the session unless a view's leave() refuses. */
void ui_quit(ui_app *app);
/* Marks every window dirty (theme or language change, ^L). */
void ui_dirty_all(ui_app *app);

/* ---- message line ---- */
typedef enum { UI_MSG_INFO, UI_MSG_HINT, UI_MSG_ERROR } ui_msg_level;
/* Shows a message (printf-style; pass translated formats). Text from data is
 * allowed: the line is drawn through the text module. Info and hints fade
 * after a few seconds; errors stay until the next message or key. */
void ui_message(ui_app *app, ui_msg_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- prompt (one-line input on the message line) ----
 * While a prompt is open every key goes to it. on_change is called after each
 * edit (live filters; may be NULL); on_done with accepted = true on Enter,
 * false on Esc/^G. The text is UTF-8; `initial` may be NULL. */
typedef void (*ui_prompt_fn)(void *ud, const char *text, bool accepted);
typedef void (*ui_prompt_change_fn)(void *ud, const char *text);
void ui_prompt(ui_app *app, const char *label, const char *initial, ui_prompt_change_fn on_change,
               ui_prompt_fn on_done, void *ud);

/* Copies text to the user's clipboard with OSC 52 (their terminal, over SSH
 * too). Returns 0 or -1 (too long / not a tty). */
int ui_clipboard_copy(ui_app *app, const char *text);

/* ---- theme ---- */
typedef theme_el ui_el;
/* The curses attribute (colour pair + A_*) for an element in the current theme. */
attr_t ui_attr(ui_el el);
/* Attribute for a rating value / polarity and an emotion label. */
ui_el ui_el_for_polarity(rating_polarity p);
ui_el ui_el_for_emo(emo_label l);

/* ---- drawing helpers (text module + theme) ---- */
/* Draws s fitted to `cols` columns at (y, x) with the element's attribute;
 * pad fills the rest with spaces. Returns columns used. Use for EVERY string. */
int ui_put(WINDOW *w, int y, int x, const char *s, int cols, ui_el el, bool pad);
int ui_put_right(WINDOW *w, int y, int x, const char *s, int cols, ui_el el);
/* Draws s over at most maxlines rows of `cols` columns from (y, x), broken
 * after spaces (between characters in a longer word); only the last row may
 * be cut, with "…". Returns the rows used. */
int ui_put_wrapped(WINDOW *w, int y, int x, const char *s, int cols, int maxlines, ui_el el);
/* The line editor widget: draws a lineedit (include/cxm/lineedit.h) in
 * the `cols` columns at (y, x), scrolled so the cursor shows, with "…"
 * where text is hidden. Returns the cursor's column (for wmove). The
 * prompt uses it; so can a form's text field. */
int ui_lineedit_draw(WINDOW *w, int y, int x, int cols, lineedit *le, ui_el el);
/* Copies a string into a fixed buffer, cut (if at all) between characters,
 * never inside a UTF-8 letter. */
void ui_copy_text(char *dst, size_t cap, const char *src);

/* Glyphs with ASCII fallbacks when the terminal is not UTF-8. */
const char *ui_glyph_rating(rating_polarity p);  /* ☺ ☹ ... / "+" "~" "-" */
const char *ui_glyph_bell(void);                 /* 🔔 / "!" */
/* Whether symbols beyond text (emoji, block elements, smileys, arrows) may be
 * sent: a UTF-8 locale and not the Linux console, whose font lacks them (it
 * still shows Cyrillic, so text stays UTF-8 there). Else ASCII stand-ins. */
bool ui_glyphs_rich(void);
/* Label of an emotion in the current language ("positive"/"позитив"). */
const char *ui_emo_label(emo_label l);

#endif
