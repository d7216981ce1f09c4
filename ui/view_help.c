/* Help: generated from actions.def with the keys as actually bound (after
 * the user's keymap file), in the current language, so it cannot lie. */
#include <stdlib.h>
#include <string.h>

#include "cxm/keymap.h"
#include "cxm/text.h"
#include "ui.h"
#include "uikeys.h"

#define KEYS_W 16
#define NAME_W 20

typedef struct {
    ui_view base;
    int top;      /* first line shown */
    int lines;    /* total at the last draw */
    int height;
} help_view;

/* One section per key context, in this order: an action is listed in each
 * context it belongs to, or where the user bound it, with that context's
 * keys (the name in brackets is what the keymap file calls the context). */
static const struct {
    int ctx;
    const char *title;
} sections[] = {
    {KM_CTX_GLOBAL, N_("Everywhere")},
    {KM_CTX_LIST, N_("Lists and tables")},
    {KM_CTX_DASHBOARD, N_("Dashboard")},
    {KM_CTX_STREAM, N_("Event stream")},
    {KM_CTX_KPI, N_("Dashboard and KPIs")},
    {KM_CTX_ALERTS, N_("Alerts")},
    {KM_CTX_DETAIL, N_("Event detail")},
    {KM_CTX_PLAYER, N_("Audio player")},
    {KM_CTX_FORM, N_("Checklist form")},
    {KM_CTX_QUEUE, N_("Incident queue")},
    {KM_CTX_CAUSES, N_("Causes report")},
    {KM_CTX_CARD, N_("Employee card")},
    {KM_CTX_HELP, N_("Help")},
};

/* Emits (or only counts, when w is NULL) the help lines from line `from`.
 * Help texts wrap at word boundaries so a narrow terminal loses nothing. */
typedef struct {
    WINDOW *w;
    int from, y, h, cols, n;
} emitter;

static void emit(emitter *e, const char *keys, const char *name, const char *text, ui_el el)
{
    int line = e->n++;
    if (!e->w || line < e->from || e->y >= e->h)
        return;
    int x = 0;
    if (keys) {
        x += ui_put(e->w, e->y, 1, keys, KEYS_W, TH_HELP_KEY, true) + 1;
        x += ui_put(e->w, e->y, x + 1, name, NAME_W, TH_DIM, true) + 1;
    }
    ui_put(e->w, e->y, x + 1, text, e->cols - x - 1, el, true);
    e->y++;
}

static void emit_wrapped(emitter *e, const char *keys, const char *name, const char *text)
{
    int room = e->cols - (KEYS_W + NAME_W + 4);
    if (room < 10)
        room = 10;
    const char *s = text;
    bool first = true;
    while (*s || first) {
        /* Take words while they fit. */
        size_t take = 0, last_space = 0;
        while (s[take]) {
            size_t next = take;
            while (s[next] && s[next] != ' ')
                next++;
            if (text_width(s, next) > room && last_space)
                break;
            last_space = next;
            take = next;
            if (s[take] == ' ')
                take++;
            else
                break;
        }
        if (!last_space)
            last_space = strlen(s);
        char chunk[512];
        size_t n = last_space < sizeof chunk - 1 ? last_space : sizeof chunk - 1;
        memcpy(chunk, s, n);
        chunk[n] = '\0';
        emit(e, first ? keys : "", first ? name : "", chunk, TH_NORMAL);
        s += last_space;
        while (*s == ' ')
            s++;
        first = false;
    }
}

/* What the columns and figures mean (DESIGN §8), in the words the screens
 * use. Both languages are here, side by side, so each pair stays in step. */
static const struct {
    const char *term_en, *term_ru, *en, *ru;
} glossary[] = {
    {"CSAT", "CSAT", "share of positive (super) ratings among all ratings, %: P / R",
     "доля положительных оценок (супер) среди всех оценок, %: P / R"},
    {"C, customers", "C, клиенты",
     "customers served: per day, location, desk and employee the till's served count when it "
     "has one, else the arrivals; summed, so parts add up to the whole",
     "обслуженные клиенты: за день по точке, стойке и сотруднику — счётчик кассы, если он есть, "
     "иначе приходы; суммируются, поэтому части складываются в целое"},
    {"Support index", "ИП", "support index: positive ratings per customer, %: P / C",
     "индекс поддержки: положительные оценки на клиента, %: P / C"},
    {"Criticality index", "ИК", "criticality index: so-so and bad ratings per customer, %: (R - P) / C",
     "индекс критичности: оценки «так себе» и «плохо» на клиента, %: (R - P) / C"},
    {"Response", "Отклик", "ratings per customer, %: R / C", "оценки на клиента, %: R / C"},
    {"EmoNPS, K", "EmoNPS, K",
     "(loyal - critics - K x silent) / (ratings + silent) x 100; loyal: a positive rating from a "
     "smiling customer; critics: so-so and bad; K (0.2-1, default 0.5): how much a silent "
     "customer counts as a critic",
     "(лояльные - критики - K x молчуны) / (оценки + молчуны) x 100; лояльные: положительная "
     "оценка от улыбающегося клиента; критики: «так себе» и «плохо»; K (0,2-1, по умолчанию "
     "0,5): насколько молчун считается критиком"},
    {"Smile", "Улыб.",
     "share of contacts (ratings and silent customers) where the EMPLOYEE's emotion was positive",
     "доля контактов (оценки и молчуны), где эмоция СОТРУДНИКА была положительной"},
    {"pos. neg. mix. poker", "поз. нег. смеш. покер",
     "the employee's emotion from the camera (positive, negative, mixed, poker face); the "
     "Cust. column is the customer's",
     "эмоция сотрудника по камере (положительная, отрицательная, смешанная, покер-фейс); "
     "столбец «Клиент» — эмоция клиента"},
    {"The bar", "Полоса",
     "today's ratings in proportion: super, so-so, bad (ASCII: + ~ -)",
     "оценки за сегодня в пропорции: супер, так себе, плохо (ASCII: + ~ -)"},
    {"Sil, Red", "Мол, Кр.",
     "silent: asked to rate, pressed nothing within 30 s; red: red button presses",
     "молчуны: оценить предложили, не нажали за 30 с; Кр.: нажатия красной кнопки"},
};

static void render_glossary(emitter *e)
{
    emit(e, NULL, NULL, "", TH_NORMAL);
    emit(e, NULL, NULL, i18n_pick("Glossary", "Словарь"), TH_HEADER);
    for (size_t i = 0; i < sizeof glossary / sizeof glossary[0]; i++)
        emit_wrapped(e, i18n_pick(glossary[i].term_en, glossary[i].term_ru), "",
                     i18n_pick(glossary[i].en, glossary[i].ru));
}

static void render(help_view *v, emitter *e)
{
    for (size_t si = 0; si < sizeof sections / sizeof sections[0]; si++) {
        bool any = false;
        int ctx = sections[si].ctx;
        for (int a = 0; a < ACT_COUNT; a++) {
            const ui_action_info *ai = ui_action_get(a);
            char keys[96];
            ui_keymap_keys_in(a, ctx, keys, sizeof keys);
            if (!(ai->ctx & (1u << ctx)) && !keys[0])
                continue;
            if (!any) {
                char title[160];
                if (e->n)
                    emit(e, NULL, NULL, "", TH_NORMAL);
                snprintf(title, sizeof title, "%s [%s]", _(sections[si].title),
                         keymap_context_name(ctx));
                emit(e, NULL, NULL, title, TH_HEADER);
                any = true;
            }
            emit_wrapped(e, keys[0] ? keys : _("(unbound)"), ai->name,
                         i18n_pick(ai->help_en, ai->help_ru));
        }
    }
    render_glossary(e);
    emit(e, NULL, NULL, "", TH_NORMAL);
    char *path = keymap_default_path();
    char line[1024];
    snprintf(line, sizeof line, _("Rebind keys in %s: bind [context] <key> <action>, unbind [context] <key>"),
             path ? path : "~/.config/cxm-console/keys");
    free(path);
    emit(e, NULL, NULL, line, TH_DIM);
    emit(e, NULL, NULL, _("Press q or Esc to close"), TH_DIM);
    (void)v;
}

static void help_draw(ui_view *base, WINDOW *w)
{
    help_view *v = (help_view *)base;
    int h = getmaxy(w), cols = getmaxx(w);
    emitter count = {NULL, 0, 0, 0, cols, 0};
    render(v, &count);
    v->lines = count.n;
    v->height = h;
    if (v->top > v->lines - h)
        v->top = v->lines - h;
    if (v->top < 0)
        v->top = 0;
    werase(w);
    emitter e = {w, v->top, 0, h, cols, 0};
    render(v, &e);
}

static int help_action(ui_view *base, int action, int key)
{
    help_view *v = (help_view *)base;
    (void)key;
    int page = v->height > 2 ? v->height - 1 : 1;
    switch (action) {
    case ACT_UP:
        v->top--;
        break;
    case ACT_DOWN:
        v->top++;
        break;
    case ACT_PAGE_UP:
        v->top -= page;
        break;
    case ACT_PAGE_DOWN:
        v->top += page;
        break;
    case ACT_HOME:
        v->top = 0;
        break;
    case ACT_END:
        v->top = v->lines;
        break;
    case ACT_BACK:
    case ACT_HELP:
        return UI_HANDLED | UI_BACK;
    default:
        return UI_IGNORED;
    }
    if (v->top > v->lines - v->height)
        v->top = v->lines - v->height;
    if (v->top < 0)
        v->top = 0;
    return UI_HANDLED | UI_REDRAW;
}

static void help_close(ui_view *base)
{
    free(base);
}

const ui_view_ops ui_help_ops = {
    .name = N_("Help"),
    .ctx = UI_CTX_HELP | UI_CTX_LIST,
    .draw = help_draw,
    .on_action = help_action,
    .close = help_close,
};

ui_view *ui_help_new(ui_app *app)
{
    help_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->base.ops = &ui_help_ops;
    v->base.app = app;
    v->base.dirty = true;
    return &v->base;
}
