/* The INI config (format documented in data/config.sample.ini). inih does
 * the syntax; we feed it lines through our own reader so that every error
 * can name its line, indented keys are plain keys (not continuations), and a
 * line too long for inih's buffer is an error instead of a silent split.
 * A file is applied to a copy of the caller's config, so a bad file leaves
 * the caller with what it had. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

/* A config is a few KiB; what is larger is not one (and /dev/zero never ends). */
#define CONFIG_FILE_MAX (64 * 1024)
#define CONFIG_LINE_BUF 1024

#include "cxm/i18n.h"
#include "cxm/mem.h"
#include "cxm/paths.h"
#include "cxm/rfile.h"
#include "cxm/text.h"
#include "cxm/theme.h"
#include "core/config_internal.h"
#include "cxm/config.h"
#include "cxm/clips.h"

static char *xstrdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = xstrdup(v);
}

static void default_alerts(cxm_config *c)
{
    /* DESIGN §9: bad ratings or red buttons piling up, and a bad share. */
    alert_rule *a = &c->alerts[0];
    memset(a, 0, sizeof *a);
    strcpy(a->name, "negative-streak");
    a->types_mask = (1u << EV_RATING) | (1u << EV_RED_BUTTON);
    a->match_negative = true;
    a->count_threshold = 3;
    a->window_s = 30 * 60;
    a->scope = ALERT_SCOPE_LOCATION;
    a->cooldown_s = 30 * 60;

    a = &c->alerts[1];
    memset(a, 0, sizeof *a);
    strcpy(a->name, "unhappy-share");
    a->types_mask = 1u << EV_RATING;
    a->match_negative = true;
    a->share_threshold = 0.5;
    a->min_ratings = 4;
    a->window_s = 15 * 60;
    a->scope = ALERT_SCOPE_LOCATION;
    a->cooldown_s = 30 * 60;
    c->nalerts = 2;
}

void config_defaults(cxm_config *c)
{
    memset(c, 0, sizeof *c);
    rules_default(&c->rules);
    c->kpi_k = 0.5;
    c->clip_after_rating_s = CLIP_DEFAULT_AFTER_RATING_S;
    c->clip_before_red_s = CLIP_DEFAULT_BEFORE_RED_S;
    c->clip_around_s = CLIP_DEFAULT_AROUND_S;
    snprintf(c->audio_backend, sizeof c->audio_backend, "mpv");
    snprintf(c->audio_output, sizeof c->audio_output, "auto");
    c->heartbeat_timeout_s = 30;
    c->claim_expiry_s = 30 * 60;
    c->alert_rering_after = 3;
    c->telegram.max_age_s = 3600;
    default_alerts(c);
}

static void free_source(source_conf *s)
{
    free(s->target);
    free(s->token_file);
    free(s->ca_file);
    free(s->location_filter);
    free(s->name);
    memset(s, 0, sizeof *s);
}

void config_free(cxm_config *c)
{
    if (!c) return;
    free(c->db_path);
    free(c->recordings);
    free(c->theme);
    free(c->lang);
    free(c->camera_url);
    free(c->telegram.token_file);
    free(c->telegram.api_base);
    c->telegram.token_file = c->telegram.api_base = NULL;
    for (int i = 0; i < c->nsources; i++)
        free_source(&c->sources[i]);
    c->db_path = c->recordings = c->theme = c->lang = c->camera_url = NULL;
    c->nsources = 0;
}

int config_add_source(cxm_config *c, source_kind kind, const char *target)
{
    if (c->nsources >= CONFIG_SOURCES_MAX) return -1;
    source_conf *s = &c->sources[c->nsources];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    if (target && !(s->target = strdup(target))) return -1;
    c->nsources++;
    return 0;
}

/* Deep copy; 0 or -1 (dst then holds nothing to free). */
static int config_clone(cxm_config *dst, const cxm_config *src)
{
    *dst = *src;
    dst->db_path = xstrdup(src->db_path);
    dst->recordings = xstrdup(src->recordings);
    dst->theme = xstrdup(src->theme);
    dst->lang = xstrdup(src->lang);
    dst->camera_url = xstrdup(src->camera_url);
    dst->telegram.token_file = xstrdup(src->telegram.token_file);
    dst->telegram.api_base = xstrdup(src->telegram.api_base);
    bool bad = (src->telegram.token_file && !dst->telegram.token_file) ||
               (src->telegram.api_base && !dst->telegram.api_base) ||
               (src->db_path && !dst->db_path) || (src->recordings && !dst->recordings) ||
               (src->theme && !dst->theme) || (src->lang && !dst->lang) ||
               (src->camera_url && !dst->camera_url);
    for (int i = 0; i < src->nsources; i++) {
        const source_conf *s = &src->sources[i];
        source_conf *d = &dst->sources[i];
        d->target = xstrdup(s->target);
        d->token_file = xstrdup(s->token_file);
        d->ca_file = xstrdup(s->ca_file);
        d->location_filter = xstrdup(s->location_filter);
        d->name = xstrdup(s->name);
        bad = bad || (s->target && !d->target) || (s->token_file && !d->token_file) ||
              (s->ca_file && !d->ca_file) || (s->location_filter && !d->location_filter) ||
              (s->name && !d->name);
    }
    if (bad) {
        config_free(dst);
        return -1;
    }
    return 0;
}

static char *join_path(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p) snprintf(p, n, "%s/%s", a, b);
    return p;
}

char *config_dir(void)
{
    return paths_user_dir(PATHS_CONFIG);
}

char *config_default_db_path(void)
{
    char *dir = paths_user_dir(PATHS_DATA);
    if (!dir) return NULL;
    paths_mkdirs(dir);
    char *p = join_path(dir, "cxm.db");
    free(dir);
    return p;
}

/* ------------------------------------------------------------------------ */
/* Parsing */

typedef struct {
    cxm_config *c;
    const char *file;
    FILE *fp;
    char buf[CONFIG_LINE_BUF];
    size_t bytes;     /* read so far */
    int line;         /* of the line inih is working on */
    int section_line; /* of the latest [section] header */
    bool failed;
    int err_line;
    char err[512];
    char **seen; /* "section\nkey" pairs already set */
    size_t nseen, capseen;
    int alert_line[CONFIG_ALERTS_MAX];
    bool alert_touched[CONFIG_ALERTS_MAX]; /* set in this file: check it */
    bool alert_disabled[CONFIG_ALERTS_MAX];
    bool alert_cooldown_set[CONFIG_ALERTS_MAX];
    int source_line[CONFIG_SOURCES_MAX];
    bool source_kind_set[CONFIG_SOURCES_MAX];
    int first_new_source;
    /* [scale]: applied after the file, since name and values may come in
     * either order. */
    bool scale_name_set, scale_values_set;
    char scale_name[32];
    rating_scale scale;
    int scale_name_line;
} pstate;

static int perr(pstate *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int perr(pstate *p, int line, const char *fmt, ...)
{
    if (p->failed) return 0;
    p->failed = true;
    p->err_line = line;
    int n = snprintf(p->err, sizeof p->err, "%s:%d: ", p->file, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, sizeof p->err - (size_t)n, fmt, ap);
    va_end(ap);
    return 0;
}

/* inih's fgets-style reader. Reads at most CONFIG_FILE_MAX bytes in all and
 * keeps at most num - 2 bytes of a line: /dev/zero or a 300 MB one-line file
 * cost neither memory nor more than a bounded read. */
static char *read_line(char *str, int num, void *stream)
{
    pstate *p = stream;
    if (p->failed || num < 3) return NULL;
    size_t cap = (size_t)num - 2, n = 0;
    size_t keep = cap + 4 < sizeof p->buf - 1 ? cap + 4 : sizeof p->buf - 1;
    bool nul = false, any = false, dropped = false;
    int ch;
    /* the line, up to cap + 1 bytes (one more tells "too long") */
    while ((ch = getc(p->fp)) != EOF) {
        any = true;
        if (++p->bytes > CONFIG_FILE_MAX) {
            perr(p, p->line + 1, _("the file is larger than %d bytes"), CONFIG_FILE_MAX);
            return NULL;
        }
        if (ch == '\n') break;
        if (ch == '\0') nul = true;
        if (n < keep)
            p->buf[n++] = (char)ch; /* the BOM and a CR fit too */
        else
            dropped = true;
    }
    if (!any) return NULL;
    p->line++;
    if (nul) {
        /* inih works on C strings: the value would be cut at the NUL */
        perr(p, p->line, _("NUL byte in the line"));
        return NULL;
    }
    p->buf[n] = '\0';
    char *s = p->buf;
    if (p->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3; /* a byte-order mark some editors write */
    /* Leading blanks are dropped: inih would take an indented line for the
     * continuation of the previous value. */
    while (*s == ' ' || *s == '\t' || *s == '\v' || *s == '\f' || *s == '\r')
        s++; /* what inih's isspace() skips, so both see the same line */
    size_t len = strlen(s);
    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    if (len > cap || dropped) {
        perr(p, p->line, _("line longer than %d bytes"), num - 2);
        len = cap;
    }
    /* inih cuts section names and keys at 49 bytes without a word. */
    if (*s == '[') {
        p->section_line = p->line;
        const char *close = memchr(s, ']', len);
        if (close && close - s - 1 > 49) perr(p, p->line, _("section name longer than 49 bytes"));
    } else if (*s != ';' && *s != '#') {
        size_t k = strcspn(s, "=:");
        while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
            k--;
        if (k < len && k > 49) perr(p, p->line, _("key longer than 49 bytes"));
    }
    memcpy(str, s, len);
    str[len] = '\n';
    str[len + 1] = '\0';
    return str;
}

/* Surrounding double quotes are optional around any value. */
static const char *unquote(const char *v, char *buf, size_t cap)
{
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"' && n - 2 < cap) {
        memcpy(buf, v + 1, n - 2);
        buf[n - 2] = '\0';
        return buf;
    }
    return v;
}

/* A leading "~/" means the home directory. */
static char *expand_path(const char *v)
{
    return paths_expand_home(v);
}

static int set_path(pstate *p, char **dst, const char *v)
{
    if (!*v) return perr(p, p->line, _("empty path"));
    char *n = expand_path(v);
    if (!n) return perr(p, p->line, _("out of memory"));
    free(*dst);
    *dst = n;
    return 1;
}

static int get_int(pstate *p, const char *key, const char *v, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno) return perr(p, p->line, _("%s: '%s' is not a whole number"), key, v);
    if (n < lo || n > hi) return perr(p, p->line, _("%s: %ld is outside [%d, %d]"), key, n, lo, hi);
    *out = (int)n;
    return 1;
}

static int get_double(pstate *p, const char *key, const char *v, double lo, double hi, double *out)
{
    char *end;
    double d = strtod(v, &end);
    if (!*v || *end || !isfinite(d)) return perr(p, p->line, _("%s: '%s' is not a number"), key, v);
    if (d < lo || d > hi) return perr(p, p->line, _("%s: %s is outside [%g, %g]"), key, v, lo, hi);
    *out = d;
    return 1;
}

/* "90", "90s", "30m", "1h". */
static int get_duration(pstate *p, const char *key, const char *v, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    long mul = 1;
    if (*end == 's' || *end == 'm' || *end == 'h') {
        mul = *end == 's' ? 1 : *end == 'm' ? 60 : 3600;
        end++;
    }
    if (!*v || *v == '-' || *v == '+' || *end || errno || end == v)
        return perr(p, p->line, _("%s: '%s' is not a duration (like 90s, 30m, 1h)"), key, v);
    if (n > 1000000 || n * mul < lo || n * mul > hi)
        return perr(p, p->line, _("%s: %s is outside [%ds, %ds]"), key, v, lo, hi);
    *out = (int)(n * mul);
    return 1;
}

static int get_bool(pstate *p, const char *key, const char *v, bool *out)
{
    static const char *yes[] = {"yes", "true", "on", "1"}, *no[] = {"no", "false", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return 1;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return 1;
        }
    }
    return perr(p, p->line, _("%s: '%s' is not yes or no"), key, v);
}

static int unknown_key(pstate *p, const char *section, const char *key)
{
    return perr(p, p->line, _("unknown key '%s' in [%s]"), key, section);
}

/* Each key once per section: a repeated key would silently override. */
static int check_dup(pstate *p, const char *section, const char *key)
{
    size_t n = strlen(section) + strlen(key) + 2;
    char *k = malloc(n);
    if (!k) return perr(p, p->line, _("out of memory"));
    snprintf(k, n, "%s\n%s", section, key);
    for (size_t i = 0; i < p->nseen; i++) {
        if (strcmp(p->seen[i], k) == 0) {
            free(k);
            return perr(p, p->line, _("duplicate key '%s' in [%s]"), key, section);
        }
    }
    if (mem_grow(&p->seen, &p->capseen, p->nseen, sizeof *p->seen, 32)) {
        free(k);
        return perr(p, p->line, _("out of memory"));
    }
    p->seen[p->nseen++] = k;
    return 1;
}

static int on_scale(pstate *p, const char *key, const char *v)
{
    if (strcmp(key, "name") == 0) {
        if (!*v || strlen(v) >= sizeof p->scale_name)
            return perr(p, p->line, _("name: must be 1 to %zu bytes"), sizeof p->scale_name - 1);
        strcpy(p->scale_name, v);
        p->scale_name_set = true;
        p->scale_name_line = p->line;
        return 1;
    }
    if (strcmp(key, "values") == 0) {
        char msg[256];
        if (config_parse_scale_values(v, &p->scale, msg, sizeof msg) < 0)
            return perr(p, p->line, _("values: %s"), msg);
        p->scale_values_set = true;
        return 1;
    }
    return unknown_key(p, "scale", key);
}

static int on_emotion(pstate *p, const char *key, const char *v)
{
    emotion_rules *e = &p->c->rules.emotion;
    if (strcmp(key, "positive_min") == 0) return get_double(p, key, v, 0, 1, &e->positive_min);
    if (strcmp(key, "negative_min") == 0) return get_double(p, key, v, 0, 1, &e->negative_min);
    if (strcmp(key, "mixed_min") == 0) return get_double(p, key, v, 0, 1, &e->mixed_min);
    if (strcmp(key, "negative_bursts") == 0)
        return get_int(p, key, v, 1, 1000000, &e->negative_bursts);
    return unknown_key(p, "emotion", key);
}

static int find_source(pstate *p, const char *name)
{
    cxm_config *c = p->c;
    for (int i = 0; i < c->nsources; i++)
        if (c->sources[i].name && strcmp(c->sources[i].name, name) == 0) return i;
    if (c->nsources >= CONFIG_SOURCES_MAX)
        return perr(p, p->line, _("more than %d sources"), CONFIG_SOURCES_MAX), -1;
    int i = c->nsources++;
    memset(&c->sources[i], 0, sizeof c->sources[i]);
    if (!(c->sources[i].name = strdup(name))) return perr(p, p->line, _("out of memory")), -1;
    p->source_line[i] = p->section_line;
    return i;
}

static int on_source(pstate *p, const char *section, const char *name, const char *key,
                     const char *v)
{
    if (!*name) return perr(p, p->line, _("[source.NAME] needs a name"));
    int i = find_source(p, name);
    if (i < 0) return 0;
    source_conf *s = &p->c->sources[i];
    if (strcmp(key, "kind") == 0) {
        int k = config_source_kind_from_name(v);
        if (k < 0) return perr(p, p->line, _("kind: '%s' is not agent, agent_log, cloud or demo"), v);
        s->kind = (source_kind)k;
        p->source_kind_set[i] = true;
        return 1;
    }
    if (strcmp(key, "target") == 0) {
        if (!*v) return perr(p, p->line, _("target: empty"));
        /* A socket path or log file may start with ~/; a URL never does. */
        return v[0] == '~' ? set_path(p, &s->target, v) : (set_str(&s->target, v), 1);
    }
    if (strcmp(key, "token_file") == 0) return set_path(p, &s->token_file, v);
    if (strcmp(key, "ca_file") == 0) return set_path(p, &s->ca_file, v);
    if (strcmp(key, "location") == 0) {
        set_str(&s->location_filter, v);
        return 1;
    }
    return unknown_key(p, section, key);
}

static int find_alert(pstate *p, const char *name)
{
    cxm_config *c = p->c;
    for (int i = 0; i < c->nalerts; i++)
        if (strcmp(c->alerts[i].name, name) == 0) {
            if (!p->alert_touched[i]) p->alert_line[i] = p->section_line;
            p->alert_touched[i] = true;
            return i;
        }
    if (strlen(name) >= sizeof c->alerts[0].name)
        return perr(p, p->line, _("alert name longer than %zu bytes"), sizeof c->alerts[0].name - 1),
               -1;
    if (c->nalerts >= CONFIG_ALERTS_MAX)
        return perr(p, p->line, _("more than %d alert rules"), CONFIG_ALERTS_MAX), -1;
    int i = c->nalerts++;
    alert_rule *a = &c->alerts[i];
    memset(a, 0, sizeof *a);
    strcpy(a->name, name);
    a->window_s = 30 * 60;
    a->scope = ALERT_SCOPE_LOCATION;
    p->alert_line[i] = p->section_line;
    p->alert_touched[i] = true;
    return i;
}

static int on_alert(pstate *p, const char *section, const char *name, const char *key,
                    const char *v)
{
    if (!*name) return perr(p, p->line, _("[alert.NAME] needs a name"));
    int i = find_alert(p, name);
    if (i < 0) return 0;
    alert_rule *a = &p->c->alerts[i];
    if (strcmp(key, "events") == 0) {
        char msg[256];
        if (config_parse_alert_events(v, &a->types_mask, &a->match_negative, msg, sizeof msg) < 0)
            return perr(p, p->line, _("events: %s"), msg);
        return 1;
    }
    if (strcmp(key, "count") == 0) return get_int(p, key, v, 0, 1000000, &a->count_threshold);
    if (strcmp(key, "share") == 0) return get_double(p, key, v, 0, 1, &a->share_threshold);
    if (strcmp(key, "min_ratings") == 0) return get_int(p, key, v, 0, 1000000, &a->min_ratings);
    if (strcmp(key, "window") == 0) return get_duration(p, key, v, 1, 7 * 86400, &a->window_s);
    if (strcmp(key, "cooldown") == 0) {
        p->alert_cooldown_set[i] = true;
        return get_duration(p, key, v, 0, 7 * 86400, &a->cooldown_s);
    }
    if (strcmp(key, "scope") == 0) {
        static const char *names[] = {"location", "desk", "employee"};
        for (int k = 0; k < 3; k++)
            if (strcmp(v, names[k]) == 0) {
                a->scope = (alert_scope)k;
                return 1;
            }
        return perr(p, p->line, _("scope: '%s' is not location, desk or employee"), v);
    }
    if (strcmp(key, "enabled") == 0) {
        bool on = true;
        if (!get_bool(p, key, v, &on)) return 0;
        p->alert_disabled[i] = !on;
        return 1;
    }
    if (strcmp(key, "title_ru") == 0 || strcmp(key, "title_en") == 0) {
        char *dst = key[6] == 'r' ? a->title_ru : a->title_en;
        if (strlen(v) >= sizeof a->title_ru)
            return perr(p, p->line, _("%s: longer than %zu bytes"), key, sizeof a->title_ru - 1);
        strcpy(dst, v);
        return 1;
    }
    return unknown_key(p, section, key);
}

static int on_telegram(pstate *p, const char *key, const char *v)
{
    telegram_conf *t = &p->c->telegram;
    if (strcmp(key, "token_file") == 0) {
        if (!*v) return perr(p, p->line, _("token_file: empty"));
        set_str(&t->token_file, v);
        return 1;
    }
    if (strcmp(key, "chat_id") == 0) {
        char *end;
        errno = 0;
        long long id = strtoll(v, &end, 10);
        if (!*v || *end || errno || id == 0)
            return perr(p, p->line, _("chat_id: '%s' is not a chat id (a non-zero integer, "
                                    "negative for groups)"), v);
        t->chat_id = id;
        t->chat_id_set = true;
        return 1;
    }
    if (strcmp(key, "api_base") == 0) {
        if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
            return perr(p, p->line, _("api_base: '%s' is not an http(s) URL"), v);
        set_str(&t->api_base, v);
        return 1;
    }
    if (strcmp(key, "max_age") == 0) return get_duration(p, key, v, 0, 365 * 86400, &t->max_age_s);
    if (strcmp(key, "send_clip") == 0) return get_bool(p, key, v, &t->send_clip) ? 1 : 0;
    return unknown_key(p, "telegram", key);
}

static int on_key(void *user, const char *section, const char *key, const char *rawv)
{
    pstate *p = user;
    cxm_config *c = p->c;
    char qbuf[4096];
    const char *v = unquote(rawv, qbuf, sizeof qbuf);

    if (p->failed) return 0;
    if (!*section) return perr(p, p->line, _("'%s' outside a [section]"), key);
    if (!check_dup(p, section, key)) return 0;
    if (strcmp(section, "database") == 0) {
        if (strcmp(key, "path") == 0) return set_path(p, &c->db_path, v);
    } else if (strcmp(section, "recordings") == 0) {
        if (strcmp(key, "root") == 0) return set_path(p, &c->recordings, v);
    } else if (strcmp(section, "clips") == 0) {
        if (strcmp(key, "after_rating") == 0)
            return get_duration(p, key, v, 1, 3600, &c->clip_after_rating_s);
        if (strcmp(key, "before_red_button") == 0)
            return get_duration(p, key, v, 1, 3600, &c->clip_before_red_s);
        if (strcmp(key, "around") == 0) return get_duration(p, key, v, 1, 3600, &c->clip_around_s);
    } else if (strcmp(section, "audio") == 0) {
        if (strcmp(key, "backend") == 0) {
            if (strcmp(v, "mpv") != 0 && strcmp(v, "vlc") != 0)
                return perr(p, p->line, _("backend: '%s' is not mpv or vlc"), v);
            snprintf(c->audio_backend, sizeof c->audio_backend, "%s", v);
            return 1;
        }
        if (strcmp(key, "output") == 0) {
            if (!*v || strlen(v) >= sizeof c->audio_output)
                return perr(p, p->line, _("output: empty or too long"));
            snprintf(c->audio_output, sizeof c->audio_output, "%s", v);
            return 1;
        }
    } else if (strcmp(section, "scale") == 0) {
        return on_scale(p, key, v);
    } else if (strcmp(section, "emotion") == 0) {
        return on_emotion(p, key, v);
    } else if (strcmp(section, "checklists") == 0) {
        if (strcmp(key, "claim_expiry") == 0)
            return get_duration(p, key, v, 60, 7 * 86400, &c->claim_expiry_s);
    } else if (strcmp(section, "kpi") == 0) {
        if (strcmp(key, "silent_k") == 0) return get_double(p, key, v, 0.2, 1, &c->kpi_k);
    } else if (strcmp(section, "ui") == 0) {
        if (strcmp(key, "theme") == 0) {
            if (!*v) return perr(p, p->line, _("theme: empty"));
            if (theme_name_kind(v) == THEME_BAD_NAME)
                return perr(p, p->line,
                            _("theme: '%s' is neither a name (letters, digits, -, _) nor a path to a "
                            ".theme file"),
                            v);
            set_str(&c->theme, v);
            return 1;
        }
        if (strcmp(key, "lang") == 0) {
            if (strcmp(v, "ru") != 0 && strcmp(v, "en") != 0)
                return perr(p, p->line, _("lang: '%s' is not ru or en"), v);
            set_str(&c->lang, v);
            return 1;
        }
        if (strcmp(key, "camera_url") == 0) {
            set_str(&c->camera_url, v);
            return 1;
        }
        if (strcmp(key, "russian_layout_keys") == 0) {
            bool on;
            if (!get_bool(p, key, v, &on)) return 0;
            c->russian_layout_keys_off = !on;
            return 1;
        }
    } else if (strcmp(section, "feeds") == 0) {
        if (strcmp(key, "heartbeat_timeout") == 0)
            return get_duration(p, key, v, 1, 3600, &c->heartbeat_timeout_s);
        if (strcmp(key, "future_margin") == 0) {
            int m;
            int r = get_duration(p, key, v, 60, 30 * 86400, &m);
            if (r == 1) c->rules.future_margin_s = m;
            return r;
        }
    } else if (strcmp(section, "alerts") == 0) {
        if (strcmp(key, "rering_after") == 0)
            return get_int(p, key, v, 0, 1000000, &c->alert_rering_after);
        if (strcmp(key, "auto_close") == 0)
            return get_duration(p, key, v, 0, 30 * 86400, &c->alert_auto_close_s);
    } else if (strcmp(section, "telegram") == 0) {
        return on_telegram(p, key, v);
    } else if (strncmp(section, "source.", 7) == 0) {
        return on_source(p, section, section + 7, key, v);
    } else if (strncmp(section, "alert.", 6) == 0) {
        return on_alert(p, section, section + 6, key, v);
    } else {
        return perr(p, p->section_line, _("unknown section [%s]"), section);
    }
    return unknown_key(p, section, key);
}

/* Checks that need the whole file: a rule or source is complete only at its
 * end. Errors point at the section header. */
static void finish(pstate *p)
{
    cxm_config *c = p->c;
    if (p->scale_values_set) {
        c->rules.scale = p->scale;
        strcpy(c->rules.scale.name, p->scale_name_set ? p->scale_name : "custom");
    } else if (p->scale_name_set) {
        if (config_builtin_scale(p->scale_name, &c->rules.scale) < 0)
            perr(p, p->scale_name_line, _("name: unknown scale '%s' (give its values)"),
                 p->scale_name);
    }
    for (int i = p->first_new_source; i < c->nsources && !p->failed; i++) {
        source_conf *s = &c->sources[i];
        if (!p->source_kind_set[i])
            perr(p, p->source_line[i], _("[source.%s]: 'kind' missing"), s->name);
        else if (!s->target && s->kind != SRC_DEMO)
            perr(p, p->source_line[i], _("[source.%s]: 'target' missing"), s->name);
    }
    for (int i = 0; i < c->nalerts && !p->failed; i++) {
        alert_rule *a = &c->alerts[i];
        if (!p->alert_touched[i] || p->alert_disabled[i]) continue;
        if (!a->types_mask)
            perr(p, p->alert_line[i], _("[alert.%s]: 'events' missing"), a->name);
        else if (!a->count_threshold && a->share_threshold <= 0)
            perr(p, p->alert_line[i], _("[alert.%s]: needs 'count' or 'share'"), a->name);
        else if (a->share_threshold > 0 && !(a->types_mask & (1u << EV_RATING)))
            perr(p, p->alert_line[i],
                 _("[alert.%s]: 'share' is a share of ratings: 'events' must hold negative or rating"),
                 a->name);
        else if (!p->alert_cooldown_set[i] && a->cooldown_s == 0)
            a->cooldown_s = a->window_s;
    }
    /* Rules switched off with enabled = no are dropped. */
    int n = 0;
    for (int i = 0; i < c->nalerts; i++)
        if (!p->alert_disabled[i]) c->alerts[n++] = c->alerts[i];
    c->nalerts = n;
}

int config_load(cxm_config *c, const char *path, char *err, size_t errlen)
{
    char *defpath = NULL;
    if (err && errlen) err[0] = '\0';
    if (!path) {
        char *dir = config_dir();
        defpath = dir ? join_path(dir, "config.ini") : NULL;
        free(dir);
        if (!defpath) return 0;
        path = defpath;
    }
    /* Only a regular file, opened without blocking: a FIFO given as the
     * config must not hang start-up in open(). */
    char why[128];
    errno = 0;
    int fd = rfile_open(path, why, sizeof why);
    FILE *fp = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (!fp) {
        int e = errno;
        if (fd >= 0) {
            snprintf(why, sizeof why, "%s", strerror(e));
            close(fd);
        }
        bool optional = defpath && e == ENOENT;
        if (!optional && err) snprintf(err, errlen, "%s: %s", path, why);
        free(defpath);
        return optional ? 0 : -1;
    }

    cxm_config work;
    if (config_clone(&work, c) < 0) {
        fclose(fp);
        if (err) snprintf(err, errlen, _("%s: out of memory"), path);
        free(defpath);
        return -1;
    }
    pstate *p = calloc(1, sizeof *p);
    if (!p) {
        fclose(fp);
        config_free(&work);
        free(defpath);
        if (err) snprintf(err, errlen, _("%s: out of memory"), path);
        return -1;
    }
    p->c = &work;
    p->file = path;
    p->fp = fp;
    p->first_new_source = work.nsources;

    int r = ini_parse_stream(read_line, p, on_key, p);
    /* inih keeps going after a syntax error and returns the first error's
     * line; it wins over what the handler found further down. */
    if (r > 0 && (!p->failed || r < p->err_line)) {
        p->failed = false;
        perr(p, r, _("expected '[section]' or 'key = value'"));
    } else if (r == -2 && !p->failed)
        perr(p, 0, _("out of memory"));
    else if (r < 0 && !p->failed)
        perr(p, 0, _("cannot read the file"));
    if (!p->failed) finish(p);
    if (!p->failed && ferror(fp)) perr(p, p->line, _("read error"));

    int rc = p->failed ? -1 : 0;
    if (rc < 0) {
        /* the reason may quote a value or the path: safe for a terminal */
        if (err && errlen) text_sanitize(p->err, strlen(p->err), err, errlen);
        config_free(&work);
    } else {
        config_free(c);
        *c = work;
    }
    for (size_t i = 0; i < p->nseen; i++)
        free(p->seen[i]);
    free(p->seen);
    free(p);
    fclose(fp);
    free(defpath);
    return rc;
}
