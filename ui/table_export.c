/* Writing what a table shows to a CSV file (one key in every list): the
 * visible columns under their titles, every row of the table, through the
 * project's one CSV writer (include/cxm/csv.h: sanitized cells, formulas
 * neutralised, the Excel dialect with a decimal comma in Russian). The file
 * goes to $CXM_EXPORT_DIR, else the current directory when writable, else
 * $HOME, named after the view and the time; the message line says where. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cxm/csv.h"
#include "cxm/i18n.h"
#include "cxm/timefmt.h"
#include "table.h"

#define EXPORT_WINDOW 256 /* rows asked of the view at a time */

void ui_table_set_owner(ui_table *t, ui_view *owner, const char *file_tag)
{
    t->owner = owner;
    t->file_tag = file_tag;
}

const char *ui_export_dir(void)
{
    const char *d = getenv("CXM_EXPORT_DIR");
    if (d && *d)
        return d;
    if (access(".", W_OK) == 0)
        return ".";
    d = getenv("HOME");
    return d && *d ? d : "/tmp";
}

/* Opens a new file (never overwrites one): NAME.csv, NAME-2.csv ... */
static FILE *open_new(const char *dir, const char *base, char *path, size_t cap)
{
    for (int i = 1; i < 100; i++) {
        if (i == 1)
            snprintf(path, cap, "%s/%s.csv", dir, base);
        else
            snprintf(path, cap, "%s/%s-%d.csv", dir, base, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0) {
            FILE *f = fdopen(fd, "w");
            if (!f)
                close(fd);
            return f;
        }
        if (errno != EEXIST)
            return NULL;
    }
    errno = EEXIST;
    return NULL;
}

/* A cell that is wholly a number the program printed ("61.5", "-3",
 * " 12") goes out as a number, so the Excel dialect gives it a decimal
 * comma; anything else (names, "61%", "—") is text. */
static bool as_number(const char *s, double *v)
{
    while (*s == ' ')
        s++;
    if (!*s)
        return false;
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    if (end == s || errno || !isfinite(*v))
        return false;
    while (*end == ' ')
        end++;
    return *end == '\0' && strpbrk(s, "xXpPnNiI") == NULL; /* no hex, nan, inf */
}

int ui_table_export(ui_table *t, bool excel, char *path, size_t cap, size_t *nrows)
{
    char base[96], stamp[32];
    time_format_local(time_now_us(), "%Y%m%d-%H%M%S", stamp, sizeof stamp);
    snprintf(base, sizeof base, "cxm-%s-%s", t->file_tag ? t->file_tag : "table", stamp);
    FILE *f = open_new(ui_export_dir(), base, path, cap);
    if (!f)
        return -1;
    bool shown[UI_TABLE_MAXCOLS];
    bool drawn = false;
    for (int c = 0; c < t->ncols; c++)
        drawn |= t->widths[c] > 0;
    csv_writer w;
    csv_begin(&w, f, &(csv_options){.excel = excel, .decimal_comma = excel && i18n_get_lang() == LANG_RU});
    for (int c = 0; c < t->ncols; c++) {
        shown[c] = !drawn || t->widths[c] > 0; /* what is shown; all before a first draw */
        if (shown[c])
            csv_text(&w, _(t->cols[c].title));
    }
    csv_end_row(&w);
    size_t n = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (t->ops->prefetch && r % EXPORT_WINDOW == 0)
            t->ops->prefetch(t->ud, r, t->nrows - r < EXPORT_WINDOW ? t->nrows - r : EXPORT_WINDOW);
        char cells[UI_TABLE_MAXCOLS][512];
        bool ok = true;
        for (int c = 0; c < t->ncols && ok; c++) {
            ui_el el = TH_ROW;
            cells[c][0] = '\0';
            if (shown[c])
                ok = t->ops->cell(t->ud, r, c, cells[c], sizeof cells[c], &el);
        }
        if (!ok)
            continue; /* the row went away meanwhile */
        for (int c = 0; c < t->ncols; c++) {
            double v;
            if (!shown[c])
                continue;
            if (as_number(cells[c], &v))
                csv_num(&w, v);
            else
                csv_text(&w, cells[c]);
        }
        csv_end_row(&w);
        n++;
    }
    int rc = csv_end(&w);
    int saved = errno;
    if (fclose(f) != 0 && rc == 0) {
        rc = -1;
        saved = errno;
    }
    if (rc != 0) {
        unlink(path); /* no half file left behind */
        errno = saved ? saved : EIO;
        return -1;
    }
    *nrows = n;
    return 0;
}

int ui_table_export_action(ui_table *t, bool excel)
{
    if (!t->owner)
        return UI_IGNORED;
    ui_app *app = t->owner->app;
    char path[4200];
    size_t n = 0;
    if (ui_table_export(t, excel, path, sizeof path, &n) != 0) {
        /* the system's reason last, as it gives it */
        ui_message(app, UI_MSG_ERROR, _("Export failed: %s: %s"), path, strerror(errno));
        return UI_HANDLED | UI_REDRAW;
    }
    ui_message(app, UI_MSG_INFO, excel ? _("%zu rows written for Excel to %s") : _("%zu rows written to %s"), n, path);
    return UI_HANDLED | UI_REDRAW;
}
