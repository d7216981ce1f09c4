/* Desk recordings matching the sim's events, in the layout a continuous
 * recorder writes (DESIGN §6): DIR/<desk>/<local start>.wav, one file per
 * desk per N minutes, aligned to N-minute boundaries of local time.
 * 16-bit mono PCM whose samples encode their own position: sample k of a file
 * starting at Unix second T holds (int16_t)(uint16_t)(T * rate + k), so
 * consecutive files form one unbroken ramp and an audio test can tell exactly
 * which samples a clip played. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cxm/mem.h"
#include "sim/sim.h"

#define US 1000000LL

struct sim_rec {
    char *dir;
    int minutes, rate;
    struct done {
        char desk[64];
        int64_t start_s;
    } *done;
    size_t ndone, capdone;
};

sim_rec *sim_rec_new(const char *dir, int minutes, int rate)
{
    sim_rec *r = calloc(1, sizeof *r);
    if (!r || !(r->dir = strdup(dir))) {
        free(r);
        return NULL;
    }
    r->minutes = minutes;
    r->rate = rate;
    if (mkdir(dir, 0755) && errno != EEXIST) {
        fprintf(stderr, "cxm-agent-sim: %s: %s\n", dir, strerror(errno));
        sim_rec_free(r);
        return NULL;
    }
    return r;
}

void sim_rec_free(sim_rec *r)
{
    if (!r)
        return;
    free(r->dir);
    free(r->done);
    free(r);
}

static int64_t slot_start(int64_t t_s, int minutes)
{
    time_t secs = (time_t)t_s;
    struct tm tm;
    localtime_r(&secs, &tm);
    int64_t len = (int64_t)minutes * 60, local = t_s + tm.tm_gmtoff;
    int64_t a = local >= 0 ? local / len * len : -((-local + len - 1) / len) * len;
    return a - tm.tm_gmtoff;
}

/* Desk names come from events (a file may hold anything): keep them one
 * harmless path component. */
static void safe_desk(const char *desk, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = desk; *p && n + 1 < cap; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || (c == '.' && n > 0);
        out[n++] = ok ? c : '_';
    }
    if (!n)
        out[n++] = '_';
    out[n] = '\0';
}

static void file_name(int64_t start_s, char *out, size_t cap)
{
    time_t secs = (time_t)start_s;
    struct tm tm;
    localtime_r(&secs, &tm);
    strftime(out, cap, "%Y-%m-%dT%H-%M-%S%z", &tm);
}

int sim_rec_relpath(const char *desk, int64_t t_us, int minutes, char *out, size_t cap)
{
    char d[64], name[48];
    int64_t t_s = t_us >= 0 ? t_us / US : -((-t_us + US - 1) / US);
    safe_desk(desk, d, sizeof d);
    file_name(slot_start(t_s, minutes), name, sizeof name);
    return snprintf(out, cap, "%s/%s.wav", d, name) < (int)cap ? 0 : -1;
}

static void le16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
    le16(p, v & 0xffff);
    le16(p + 2, v >> 16);
}

static int write_wav(const sim_rec *r, const char *path, int64_t start_s)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return -1;
    uint32_t n = (uint32_t)r->minutes * 60u * (uint32_t)r->rate;
    unsigned char h[44];
    memcpy(h, "RIFF", 4);
    le32(h + 4, 36 + n * 2);
    memcpy(h + 8, "WAVEfmt ", 8);
    le32(h + 16, 16);
    le16(h + 20, 1); /* PCM */
    le16(h + 22, 1); /* mono */
    le32(h + 24, (uint32_t)r->rate);
    le32(h + 28, (uint32_t)r->rate * 2);
    le16(h + 32, 2);
    le16(h + 34, 16);
    memcpy(h + 36, "data", 4);
    le32(h + 40, n * 2);
    int ok = fwrite(h, 1, sizeof h, f) == sizeof h;
    static unsigned char buf[65536];
    uint64_t k0 = (uint64_t)start_s * (uint64_t)r->rate;
    for (uint32_t k = 0; ok && k < n;) {
        size_t m = 0;
        for (; m < sizeof buf / 2 && k < n; m++, k++)
            le16(buf + 2 * m, (unsigned)((k0 + k) & 0xffff));
        ok = fwrite(buf, 2, m, f) == m;
    }
    if (fclose(f) || !ok || rename(tmp, path)) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

static int ensure(sim_rec *r, const char *raw_desk, int64_t start_s)
{
    char desk[64];
    safe_desk(raw_desk, desk, sizeof desk);
    for (size_t i = r->ndone; i-- > 0;)
        if (r->done[i].start_s == start_s && !strcmp(r->done[i].desk, desk))
            return 0;
    if (mem_grow(&r->done, &r->capdone, r->ndone, sizeof *r->done, 64))
        return -1;
    struct done *d = &r->done[r->ndone];
    memcpy(d->desk, desk, sizeof d->desk);
    d->start_s = start_s;

    char path[4096], name[48];
    snprintf(path, sizeof path, "%s/%s", r->dir, d->desk);
    if (mkdir(path, 0755) && errno != EEXIST)
        goto fail;
    file_name(start_s, name, sizeof name);
    snprintf(path, sizeof path, "%s/%s/%s.wav", r->dir, d->desk, name);
    struct stat st;
    /* An earlier run wrote the same samples: the content depends on time only. */
    if (stat(path, &st) != 0 && write_wav(r, path, start_s))
        goto fail;
    r->ndone++;
    return 0;
fail:
    fprintf(stderr, "cxm-agent-sim: recording %s: %s\n", path, strerror(errno));
    return -1;
}

int sim_rec_cover(sim_rec *r, const char *desk, int64_t t_us)
{
    if (!desk || !*desk || t_us <= 0)
        return 0;
    int64_t t = t_us / US, len = (int64_t)r->minutes * 60;
    for (int64_t s = slot_start(t - 60, r->minutes); s <= t + 30; s += len)
        if (ensure(r, desk, s))
            return -1;
    return 0;
}
