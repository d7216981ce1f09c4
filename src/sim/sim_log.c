/* The agent's log: events appended as JSON lines, with rotation on demand the
 * two ways logrotate does it: rename (FILE -> FILE.1, reopen FILE) and
 * copytruncate (copy to FILE.1, truncate FILE in place).
 *
 * copytruncate is inherently racy for any reader (lines written after the
 * reader's last read and before the truncation exist only in the copy), so
 * the log goes quiet for --log-grace ms before a truncation and after every
 * rotation or truncation, as a real log does between bursts; a tailer that
 * looks at the file at least that often must then lose nothing. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/sim.h"

enum { OP_ROTATE = 1, OP_TRUNCATE = 2 };

struct sim_log {
    char *path;
    int fd;
    size_t next;
    long rotate_every, truncate_every;
    int grace_ms;
    uint64_t written;
    unsigned ops;           /* due, not done yet */
    int64_t pause_until;    /* mono µs; 0 = not pausing */
    bool ops_after_pause;   /* the pause is the one before the ops */
    unsigned malformed_k;
    char *buf;
    size_t len, cap;
};

static int open_log(sim_log *l)
{
    l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (l->fd < 0) {
        fprintf(stderr, "cxm-agent-sim: %s: %s\n", l->path, strerror(errno));
        return -1;
    }
    return 0;
}

sim_log *sim_log_open(const char *path, long rotate_every, long truncate_every, int grace_ms)
{
    sim_log *l = calloc(1, sizeof *l);
    if (!l || !(l->path = strdup(path))) {
        free(l);
        return NULL;
    }
    l->rotate_every = rotate_every;
    l->truncate_every = truncate_every;
    l->grace_ms = grace_ms;
    if (open_log(l)) {
        sim_log_free(l);
        return NULL;
    }
    return l;
}

void sim_log_free(sim_log *l)
{
    if (!l)
        return;
    if (l->fd >= 0)
        close(l->fd);
    free(l->path);
    free(l->buf);
    free(l);
}

bool sim_log_idle(const sim_log *l, const sim_seq *s)
{
    return l->next >= s->n && !l->ops && !l->pause_until;
}

static int append(sim_log *l, const char *p, size_t n)
{
    if (l->len + n + 1 > l->cap) {
        size_t cap = l->cap ? l->cap : 65536;
        while (cap < l->len + n + 1)
            cap *= 2;
        char *b = realloc(l->buf, cap);
        if (!b)
            return -1;
        l->buf = b;
        l->cap = cap;
    }
    memcpy(l->buf + l->len, p, n);
    l->buf[l->len + n] = '\n';
    l->len += n + 1;
    return 0;
}

static int flush_buf(sim_log *l)
{
    size_t off = 0;
    while (off < l->len) {
        ssize_t w = write(l->fd, l->buf + off, l->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            fprintf(stderr, "cxm-agent-sim: writing %s: %s\n", l->path, strerror(errno));
            return -1;
        }
        off += (size_t)w;
    }
    l->len = 0;
    return 0;
}

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
    char b[65536];
    ssize_t n;
    if (in < 0 || (out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
        goto done;
    while ((n = read(in, b, sizeof b)) > 0)
        if (write(out, b, (size_t)n) != n)
            goto done;
    rc = n < 0 ? -1 : 0;
done:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return rc;
}

static int do_ops(sim_log *l)
{
    char old[4200];
    snprintf(old, sizeof old, "%s.1", l->path);
    if (l->ops & OP_ROTATE) {
        if (rename(l->path, old)) {
            fprintf(stderr, "cxm-agent-sim: rotating %s: %s\n", l->path, strerror(errno));
            return -1;
        }
        close(l->fd);
        if (open_log(l))
            return -1;
        sim_stat.rotations++;
    }
    if (l->ops & OP_TRUNCATE) {
        if (copy_file(l->path, old) || ftruncate(l->fd, 0)) {
            fprintf(stderr, "cxm-agent-sim: truncating %s: %s\n", l->path, strerror(errno));
            return -1;
        }
        sim_stat.truncations++;
    }
    l->ops = 0;
    return 0;
}

static void write_event(sim_log *l, const sim_seq *s, size_t i)
{
    if (append(l, sim_seq_json(s, i), s->ent[i].json_len) == 0) {
        sim_note_sent(sim_seq_id(s, i), s->ent[i].id_len);
        sim_stat.log_lines++;
    }
}

int sim_log_pump(sim_log *l, const sim_seq *s, int64_t now)
{
    if (l->pause_until) {
        if (now < l->pause_until)
            return (int)((l->pause_until - now + 999) / 1000);
        l->pause_until = 0;
        if (l->ops_after_pause) {
            l->ops_after_pause = false;
            if (do_ops(l))
                return -1;
            if (l->grace_ms > 0) {
                l->pause_until = now + (int64_t)l->grace_ms * 1000;
                return l->grace_ms;
            }
        }
    }
    while (l->next < s->n) {
        size_t i = l->next++;
        write_event(l, s, i);
        l->written++;
        if (sim_fault.malformed_every && l->written % (uint64_t)sim_fault.malformed_every == 0) {
            char b[512];
            const char *m = sim_malformed(l->malformed_k++, b, sizeof b);
            append(l, m, strlen(m));
            sim_stat.malformed++;
        }
        if (sim_fault.repeat_every && l->written % (uint64_t)sim_fault.repeat_every == 0 && i > 0) {
            size_t back = 1 + (size_t)(l->written / (uint64_t)sim_fault.repeat_every) % (i < 50 ? i : 50);
            write_event(l, s, i - back);
            sim_stat.repeats++;
        }
        if (l->rotate_every && l->written % (uint64_t)l->rotate_every == 0)
            l->ops |= OP_ROTATE;
        if (l->truncate_every && l->written % (uint64_t)l->truncate_every == 0)
            l->ops |= OP_TRUNCATE;
        if (l->ops || l->len > (1u << 20)) {
            if (flush_buf(l))
                return -1;
        }
        if (!l->ops)
            continue;
        if (l->grace_ms > 0 && (l->ops & OP_TRUNCATE)) {
            l->ops_after_pause = true;
            l->pause_until = now + (int64_t)l->grace_ms * 1000;
            return l->grace_ms;
        }
        if (do_ops(l))
            return -1;
        if (l->grace_ms > 0) {
            l->pause_until = now + (int64_t)l->grace_ms * 1000;
            return l->grace_ms;
        }
    }
    if (flush_buf(l))
        return -1;
    return -1;
}
