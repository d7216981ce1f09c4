/* Every shipped theme is readable: the contrast (WCAG relative luminance)
 * of each element's foreground on its background, with the xterm palette, at
 * 256, 16 and 8 colours, is at least 4.5:1 for text and 3:1 for bars and
 * lines. `default` colours are the terminal's own, taken at each end of the
 * range the theme claims (`background = dark|light|any`): light grey on black
 * for a dark terminal, black on white for a light one. Reverse swaps; dim is
 * drawn halfway to the background (as xterm's faint); with 8 colours bold
 * brightens a base colour (xterm's boldColors). */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/theme.h"

typedef struct {
    double r, g, b;
} rgb;

/* xterm's default palette: 16 colours, the 6x6x6 cube, 24 greys. */
static rgb xterm(int i)
{
    static const int base[16][3] = {
        {0, 0, 0},       {205, 0, 0},     {0, 205, 0},     {205, 205, 0},
        {0, 0, 238},     {205, 0, 205},   {0, 205, 205},   {229, 229, 229},
        {127, 127, 127}, {255, 0, 0},     {0, 255, 0},     {255, 255, 0},
        {92, 92, 255},   {255, 0, 255},   {0, 255, 255},   {255, 255, 255},
    };
    if (i < 16) return (rgb){base[i][0], base[i][1], base[i][2]};
    if (i < 232) {
        static const int lv[6] = {0, 95, 135, 175, 215, 255};
        i -= 16;
        return (rgb){lv[i / 36], lv[(i / 6) % 6], lv[i % 6]};
    }
    double g = 8 + 10 * (i - 232);
    return (rgb){g, g, g};
}

static double lin(double c)
{
    c /= 255.0;
    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double lum(rgb c)
{
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

static double contrast(rgb a, rgb b)
{
    double x = lum(a), y = lum(b);
    return x > y ? (x + 0.05) / (y + 0.05) : (y + 0.05) / (x + 0.05);
}

/* The terminal's own colours at one end of the range. */
typedef struct {
    const char *name;
    rgb fg, bg;
} terminal;

static const terminal dark_term = {"dark terminal", {229, 229, 229}, {0, 0, 0}};
static const terminal light_term = {"light terminal", {0, 0, 0}, {255, 255, 255}};

static bool is_graphic(theme_el el)
{
    return el == TH_BAR || el == TH_SPARKLINE || el == TH_BORDER;
}

static int check_theme(const theme *t, const char *file)
{
    int bad = 0;
    const terminal *terms[2];
    int nterms = 0;
    if (t->background & THEME_BG_DARK) terms[nterms++] = &dark_term;
    if (t->background & THEME_BG_LIGHT) terms[nterms++] = &light_term;
    if (!nterms) {
        fprintf(stderr, "%s: no `background = dark|light|any`\n", file);
        return 1;
    }
    static const char *const depth_name[3] = {"256", "16", "8"};
    for (int k = 0; k < nterms; k++)
        for (int d = 0; d < 3; d++)
            for (int el = 0; el < TH_COUNT; el++) {
                const theme_style *s = &t->st[el];
                int fi = s->fg[d], bi = s->bg[d];
                /* 8 colours: bold makes a base colour bright (xterm's boldColors,
                 * and what the parser's bright-NAME -> NAME + bold relies on) */
                if (d == 2 && fi >= 0 && fi < 8 && ((s->extra8 | s->attrs) & THA_BOLD)) fi += 8;
                rgb fg = fi == THEME_DEFAULT_COLOR ? terms[k]->fg : xterm(fi);
                rgb bg = bi == THEME_DEFAULT_COLOR ? terms[k]->bg : xterm(bi);
                if (s->attrs & THA_REVERSE) {
                    rgb x = fg;
                    fg = bg;
                    bg = x;
                }
                if (s->attrs & THA_DIM)
                    fg = (rgb){(fg.r + bg.r) / 2, (fg.g + bg.g) / 2, (fg.b + bg.b) / 2};
                double want = is_graphic((theme_el)el) ? 3.0 : 4.5;
                double got = contrast(fg, bg);
                if (got + 1e-9 < want) {
                    fprintf(stderr, "%s: %s, %s colours: %s %.2f:1 (needs %.1f:1)\n", file,
                            terms[k]->name, depth_name[d], theme_el_name((theme_el)el), got, want);
                    bad++;
                }
            }
    return bad;
}

static void test_palette(void **state)
{
    (void)state;
    /* the formula on known pairs: black/white 21:1, xterm 244 grey on black */
    assert_true(fabs(contrast((rgb){0, 0, 0}, (rgb){255, 255, 255}) - 21.0) < 1e-9);
    assert_true(fabs(contrast(xterm(16), xterm(231)) - 21.0) < 1e-9);
    assert_true(contrast(xterm(255), xterm(231)) < 1.2); /* light's old row_alt on white-ish */
    theme t;
    theme_builtin(&t);
    char err[256];
    /* a theme that claims a light terminal with light grey text fails */
    const char *poor = "background = light\nvalue = 252 default\n";
    assert_int_equal(theme_parse(&t, poor, strlen(poor), "poor", err, sizeof err), 0);
    assert_true(check_theme(&t, "poor (expected to fail)") > 0);
    const char *nobg = "background = sideways\n";
    assert_int_equal(theme_parse(&t, nobg, strlen(nobg), "x", err, sizeof err), -1);
}

static void test_builtin(void **state)
{
    (void)state;
    theme t;
    theme_builtin(&t);
    assert_int_equal(check_theme(&t, "builtin"), 0);
}

static void test_shipped_themes(void **state)
{
    (void)state;
    const char *src = getenv("CXM_SRC");
    if (!src) skip();
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/themes", src);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    int bad = 0, files = 0;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 7 || strcmp(de->d_name + l - 6, ".theme")) continue;
        char path[4400], err[512];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        theme t;
        theme_builtin(&t);
        t.background = 0; /* each file must say what it is for */
        if (theme_load_file(&t, path, err, sizeof err) != 0) fail_msg("%s", err);
        bad += check_theme(&t, de->d_name);
        files++;
    }
    closedir(d);
    assert_true(files >= 5);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_palette),
        cmocka_unit_test(test_builtin),
        cmocka_unit_test(test_shipped_themes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
