/* The virtual table: only the visible rows are asked for, so a view backed
 * by a windowed query scrolls a history of any size at the same speed. */
#include <string.h>

#include "cxm/text.h"
#include "table.h"

void ui_table_init(ui_table *t, const ui_column *cols, int ncols, const ui_table_ops *ops, void *ud)
{
    memset(t, 0, sizeof *t);
    t->cols = cols;
    t->ncols = ncols > UI_TABLE_MAXCOLS ? UI_TABLE_MAXCOLS : ncols;
    t->ops = ops;
    t->ud = ud;
    t->sort_col = -1;
    t->show_header = true;
    t->page = 1;
}

static void clamp(ui_table *t)
{
    if (t->nrows == 0) {
        t->sel = t->top = 0;
        return;
    }
    if (t->sel >= t->nrows)
        t->sel = t->nrows - 1;
    size_t page = t->page > 0 ? (size_t)t->page : 1;
    if (t->sel < t->top)
        t->top = t->sel;
    if (t->sel >= t->top + page)
        t->top = t->sel - page + 1;
    if (t->top + page > t->nrows)
        t->top = t->nrows > page ? t->nrows - page : 0;
}

void ui_table_set_rows(ui_table *t, size_t nrows)
{
    t->nrows = nrows;
    clamp(t);
}

void ui_table_select(ui_table *t, size_t row)
{
    t->sel = row;
    clamp(t);
}

size_t ui_table_selected(const ui_table *t)
{
    return t->sel;
}

static const char *sort_mark(const ui_table *t)
{
    if (ui_glyphs_rich())
        return t->sort_desc ? "▼" : "▲";
    return t->sort_desc ? "v" : "^";
}

/* Fixed columns first, then flexible ones share the rest; columns that do
 * not fit (or ask to hide below this width) get 0. One space separates. */
static void layout(ui_table *t, int wd)
{
    int used = 0, nflex = 0, minflex = 0;
    for (int c = 0; c < t->ncols; c++) {
        const ui_column *col = &t->cols[c];
        t->widths[c] = 0;
        if (col->hide_below && wd < col->hide_below)
            continue;
        if (col->width > 0) {
            int w = col->width;
            if (c == t->sort_col) { /* the whole title beside the mark ("Bad▼", not "Ba▼") */
                const char *title = _(col->title), *mark = sort_mark(t);
                int need = text_width(title, strlen(title)) + text_width(mark, strlen(mark));
                if (need > w)
                    w = need;
            }
            t->widths[c] = w;
            used += w + (used ? 1 : 0);
        } else {
            nflex++;
            minflex += (col->min_width > 0 ? col->min_width : 4) + 1;
        }
    }
    /* Drop fixed columns from the right until the minimum fits. */
    for (int c = t->ncols - 1; c > 0 && used + minflex > wd; c--)
        if (t->widths[c] > 0 && t->cols[c].width > 0) {
            used -= t->widths[c] + 1;
            t->widths[c] = 0;
        }
    if (!nflex)
        return;
    int left = wd - used - nflex; /* separators before each flexible column */
    int share = left / nflex, extra = left % nflex;
    for (int c = 0; c < t->ncols; c++) {
        const ui_column *col = &t->cols[c];
        if ((col->hide_below && wd < col->hide_below) || col->width > 0)
            continue;
        int w = share + (extra-- > 0 ? 1 : 0);
        int mn = col->min_width > 0 ? col->min_width : 4;
        t->widths[c] = w < mn ? mn : w;
    }
}

/* Where tables were drawn since the last reset, for mouse clicks. */
#define UI_TABLE_HITS 8
static struct {
    ui_table *t;
    WINDOW *w;
    int y, x, h, wd;
} hits[UI_TABLE_HITS];
static int nhits;

void ui_table_hits_reset(void)
{
    nhits = 0;
}

ui_table *ui_table_hit(int sy, int sx, size_t *row)
{
    for (int i = nhits - 1; i >= 0; i--) {
        int by, bx;
        getbegyx(hits[i].w, by, bx);
        int y = sy - by - hits[i].y - (hits[i].t->show_header ? 1 : 0), x = sx - bx - hits[i].x;
        ui_table *t = hits[i].t;
        int body = hits[i].h - (t->show_header ? 1 : 0);
        if (x < 0 || x >= hits[i].wd || y < 0 || y >= body)
            continue;
        if (t->top + (size_t)y >= t->nrows)
            return NULL;
        *row = t->top + (size_t)y;
        return t;
    }
    return NULL;
}

/* The sort mark always shows. The sorted column is widened to hold its
 * whole title and the mark (layout); when even that does not fit, the title
 * gives way, cut at a character (no "…": the mark already ends it), so
 * "Ratings▼" in six columns is "Ratin▼", not "Ratin…" without the mark. */
static void title_with_mark(const char *title, const char *mark, int cw, char *out, size_t cap)
{
    size_t tl = strlen(title), ml = strlen(mark);
    int mw = text_width(mark, ml);
    size_t keep = tl;
    while (keep > 0 && text_width(title, keep) + mw > cw) {
        keep--;
        while (keep > 0 && ((unsigned char)title[keep] & 0xC0) == 0x80)
            keep--;
    }
    snprintf(out, cap, "%.*s%s", (int)keep, title, mark);
}

void ui_table_draw(ui_table *t, WINDOW *w, int y, int x, int h, int wd)
{
    if (h <= 0 || wd <= 0)
        return;
    /* One entry per table, from its last full draw (a view may repaint a
     * single row with a one-line draw). */
    int slot = nhits;
    for (int i = 0; i < nhits; i++)
        if (hits[i].t == t)
            slot = i;
    if (h > 1 && slot < UI_TABLE_HITS) {
        if (slot == nhits)
            nhits++;
        hits[slot].t = t;
        hits[slot].w = w;
        hits[slot].y = y;
        hits[slot].x = x;
        hits[slot].h = h;
        hits[slot].wd = wd;
    }
    layout(t, wd);
    int body = h - (t->show_header ? 1 : 0);
    t->page = body > 0 ? body : 1;
    clamp(t);
    if (t->show_header) {
        ui_put(w, y, x, "", wd, TH_HEADER, true);
        int cx = x;
        for (int c = 0; c < t->ncols; c++) {
            if (!t->widths[c])
                continue;
            char title[160];
            int cw = t->widths[c];
            if (cx + cw > x + wd)
                cw = x + wd - cx;
            if (cw <= 0)
                break;
            if (c == t->sort_col)
                title_with_mark(_(t->cols[c].title), sort_mark(t), cw, title, sizeof title);
            else
                snprintf(title, sizeof title, "%s", _(t->cols[c].title));
            if (t->cols[c].right)
                ui_put_right(w, y, cx, title, cw, TH_HEADER);
            else
                ui_put(w, y, cx, title, cw, TH_HEADER, true);
            cx += t->widths[c] + 1;
        }
        y++;
    }
    if (body <= 0)
        return;
    size_t count = t->nrows > t->top ? t->nrows - t->top : 0;
    if (count > (size_t)body)
        count = (size_t)body;
    if (count && t->ops->prefetch)
        t->ops->prefetch(t->ud, t->top, count);
    for (int r = 0; r < body; r++) {
        size_t row = t->top + (size_t)r;
        if (row >= t->nrows) {
            ui_put(w, y + r, x, "", wd, TH_NORMAL, true);
            continue;
        }
        ui_el base = (row % 2) ? TH_ROW_ALT : TH_ROW;
        if (t->ops->row_el) {
            int re = t->ops->row_el(t->ud, row);
            if (re >= 0 && re < TH_COUNT)
                base = (ui_el)re;
        }
        bool sel = row == t->sel;
        if (sel)
            base = TH_SELECTED;
        ui_put(w, y + r, x, "", wd, base, true);
        int cx = x;
        for (int c = 0; c < t->ncols; c++) {
            if (!t->widths[c])
                continue;
            int cw = t->widths[c];
            if (cx + cw > x + wd)
                cw = x + wd - cx;
            if (cw <= 0)
                break;
            char buf[1024];
            ui_el el = base;
            buf[0] = '\0';
            if (!t->ops->cell(t->ud, row, c, buf, sizeof buf, &el))
                buf[0] = '\0';
            if (sel)
                el = TH_SELECTED; /* the selection reads as one bar */
            if (t->cols[c].right)
                ui_put_right(w, y + r, cx, buf, cw, el);
            else
                ui_put(w, y + r, cx, buf, cw, el, true);
            cx += t->widths[c] + 1;
        }
    }
}

int ui_table_action(ui_table *t, int action)
{
    size_t page = t->page > 1 ? (size_t)t->page - 1 : 1;
    switch (action) {
    case ACT_UP:
        if (t->sel > 0)
            t->sel--;
        break;
    case ACT_DOWN:
        if (t->sel + 1 < t->nrows)
            t->sel++;
        break;
    case ACT_PAGE_UP:
        t->sel = t->sel > page ? t->sel - page : 0;
        if (t->top > page)
            t->top -= page;
        else
            t->top = 0;
        break;
    case ACT_PAGE_DOWN:
        t->sel += page;
        t->top += page;
        break;
    case ACT_HOME:
        t->sel = t->top = 0;
        break;
    case ACT_END:
        t->sel = t->nrows ? t->nrows - 1 : 0;
        break;
    case ACT_SORT_NEXT:
    case ACT_SORT_REVERSE:
        if (!t->ops->on_sort)
            return UI_IGNORED;
        if (action == ACT_SORT_NEXT) {
            t->sort_col = (t->sort_col + 1) % t->ncols;
            t->sort_desc = false;
        } else {
            if (t->sort_col < 0)
                t->sort_col = 0;
            t->sort_desc = !t->sort_desc;
        }
        t->ops->on_sort(t->ud, t->sort_col, t->sort_desc);
        break;
    case ACT_EXPORT_CSV:
    case ACT_EXPORT_EXCEL:
        return ui_table_export_action(t, action == ACT_EXPORT_EXCEL);
    default:
        return UI_IGNORED;
    }
    if (t->nrows && t->sel >= t->nrows)
        t->sel = t->nrows - 1;
    if (t->top >= t->nrows)
        t->top = t->nrows ? t->nrows - 1 : 0;
    clamp(t);
    return UI_HANDLED | UI_REDRAW;
}
