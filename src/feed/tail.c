/* The agent's JSON-lines log, followed like `tail -F`:
 * - rename rotation: a new inode at the path; the old fd is read to EOF first;
 * - copytruncate: the file shrank below our offset; start again at 0;
 * - a partial last line waits for its newline;
 * - the (dev, ino, offset) after the last whole line is committed with the
 *   events, so a restart resumes exactly there, even when the file was
 *   rotated meanwhile (the old inode is looked up in the directory).
 * inotify on the directory wakes us when the file changes; without inotify a
 * 1 s stat poll does the same job within the idle budget. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cxm/i18n.h"
#include "cxm/mem.h"
#include "feed/feed_internal.h"

#define READ_CHUNK (64 * 1024)
#define LINE_CAP (EVENT_LINE_MAX + 1024)
#define POLL_MS 1000
#define MARK 512 /* spans at least one id in practice */
#define SEEN 32
#define RECOVER_MAX (256LL << 20) /* never slurp more than this from a sibling */

typedef struct {
    hub_source *s;
    char *path, *dir, *base;
    int fd;
    uint64_t dev, ino;
    int64_t off;        /* file offset of the next byte to read */
    char *line;         /* a partial line waiting for its newline */
    size_t len, cap;
    bool skipping;      /* inside an over-long line: drop until its newline */
    int64_t skip_start;
    char *chunk;
    int ino_fd, wd;
    int poll_timer;
    bool missing_logged;
    /* The last bytes consumed before `off`: if they are no longer there, the
     * file was truncated and rewritten past our offset (copytruncate seen late). */
    char mark[MARK];
    size_t marklen;
    time_t opened_at;   /* when the current fd was opened (realtime seconds) */
    struct {
        uint64_t dev, ino;
        struct timespec ctim; /* a deleted file's inode number is soon reused */
    } seen[SEEN];       /* files already read to the end (rotated, copies) */
    unsigned nseen;
} tail_src;

static void check(tail_src *t);

static void tail_free(void *impl)
{
    tail_src *t = impl;
    if (!t)
        return;
    loop *lp = hub_loop(t->s->h);
    if (t->poll_timer)
        loop_timer_cancel(lp, t->poll_timer);
    if (t->ino_fd >= 0) {
        loop_unwatch_fd(lp, t->ino_fd);
        close(t->ino_fd);
    }
    if (t->fd >= 0)
        close(t->fd);
    free(t->path);
    free(t->dir);
    free(t->base);
    free(t->line);
    free(t->chunk);
    free(t);
}

static const source_ops tail_ops = {tail_free};

static void emit_line(tail_src *t, const char *p, size_t n, int64_t start)
{
    while (n > 0 && p[n - 1] == '\r')
        n--;
    char what[64];
    snprintf(what, sizeof what, "line at offset %lld", (long long)start);
    hub_deliver(t->s, p, n, what);
}

/* The resume point is after the last whole line: a partial one is re-read. */
static void note_position(tail_src *t)
{
    int64_t pos = t->off - (int64_t)t->len;
    if (t->skipping)
        pos = t->skip_start;
    hub_set_tail(t->s, t->path, t->dev, t->ino, pos);
}

static void consume(tail_src *t, const char *p, size_t n)
{
    int64_t base = t->off; /* file offset of p[0] */
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(p + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - p) : n;
        if (t->skipping) {
            if (nl) {
                t->skipping = false;
                hub_reject(t->s, "line", "longer than 64 KiB");
            }
        } else if (t->len == 0 && nl) {
            emit_line(t, p + i, end - i, base + (int64_t)i);
        } else if (t->len + (end - i) > LINE_CAP) {
            t->skipping = true;
            t->skip_start = base + (int64_t)i - (int64_t)t->len;
            t->len = 0;
            if (nl) {
                t->skipping = false;
                hub_reject(t->s, "line", "longer than 64 KiB");
            }
        } else {
            if (t->len + (end - i) + 1 > t->cap) {
                size_t cap = t->cap ? t->cap : 4096;
                while (cap < t->len + (end - i) + 1)
                    cap *= 2;
                char *nb = realloc(t->line, cap);
                if (!nb) {
                    t->skipping = true;
                    t->skip_start = base + (int64_t)i - (int64_t)t->len;
                    t->len = 0;
                    i = end + (nl ? 1 : 0);
                    continue;
                }
                t->line = nb;
                t->cap = cap;
            }
            memcpy(t->line + t->len, p + i, end - i);
            t->len += end - i;
            if (nl) {
                int64_t start = base + (int64_t)i - (int64_t)(t->len - (end - i));
                emit_line(t, t->line, t->len, start);
                t->len = 0;
            }
        }
        i = end + (nl ? 1 : 0);
    }
    t->off += (int64_t)n;
    if (n >= MARK) {
        memcpy(t->mark, p + n - MARK, MARK);
        t->marklen = MARK;
    } else {
        size_t keep = t->marklen + n > MARK ? MARK - n : t->marklen;
        memmove(t->mark, t->mark + t->marklen - keep, keep);
        memcpy(t->mark + keep, p, n);
        t->marklen = keep + n;
    }
}

/* Reads fd from the current offset to EOF. */
static void read_to_eof(tail_src *t)
{
    bool any = false;
    for (;;) {
        ssize_t r = pread(t->fd, t->chunk, READ_CHUNK, t->off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            hub_log(t->s, "read %s: %s", t->path, strerror(errno));
            break;
        }
        if (r == 0)
            break;
        consume(t, t->chunk, (size_t)r);
        any = true;
    }
    if (any)
        note_position(t);
}

static void reset_to_start(tail_src *t)
{
    t->off = 0;
    t->len = 0;
    t->skipping = false;
    t->marklen = 0;
}

/* Identity includes ctime: a false "seen" would lose lines, while a rename
 * changing ctime only costs a re-read that the dedupe absorbs. */
static bool was_seen(const tail_src *t, const struct stat *sb)
{
    for (unsigned i = 0; i < SEEN && i < t->nseen; i++)
        if (t->seen[i].dev == (uint64_t)sb->st_dev && t->seen[i].ino == (uint64_t)sb->st_ino &&
            t->seen[i].ctim.tv_sec == sb->st_ctim.tv_sec &&
            t->seen[i].ctim.tv_nsec == sb->st_ctim.tv_nsec)
            return true;
    return false;
}

static void remember(tail_src *t, const struct stat *sb)
{
    if (was_seen(t, sb))
        return;
    unsigned k = t->nseen++ % SEEN;
    t->seen[k].dev = (uint64_t)sb->st_dev;
    t->seen[k].ino = (uint64_t)sb->st_ino;
    t->seen[k].ctim = sb->st_ctim;
}

static bool mark_matches(const tail_src *t, int fd, int64_t off)
{
    char b[MARK];
    if (t->marklen == 0)
        return true;
    if (off < (int64_t)t->marklen)
        return false;
    ssize_t r = pread(fd, b, t->marklen, off - (int64_t)t->marklen);
    return r == (ssize_t)t->marklen && memcmp(b, t->mark, t->marklen) == 0;
}

/* Delivers the whole lines of fd[from, to); a partial last line is left. */
static void read_range(tail_src *t, int fd, int64_t from, int64_t to)
{
    char *acc = NULL;
    size_t alen = 0, acap = 0;
    int64_t line_start = from;
    for (int64_t pos = from; pos < to;) {
        size_t want = to - pos < READ_CHUNK ? (size_t)(to - pos) : READ_CHUNK;
        ssize_t r = pread(fd, t->chunk, want, pos);
        if (r <= 0)
            break;
        size_t i = 0;
        while (i < (size_t)r) {
            const char *nl = memchr(t->chunk + i, '\n', (size_t)r - i);
            size_t end = nl ? (size_t)(nl - t->chunk) : (size_t)r;
            if (alen + (end - i) <= LINE_CAP) {
                if (mem_grow(&acc, &acap, alen + (end - i), 1, 4096))
                    break;
                memcpy(acc + alen, t->chunk + i, end - i);
            }
            alen += end - i;
            if (nl) {
                if (alen <= LINE_CAP)
                    emit_line(t, acc, alen, line_start);
                else
                    hub_reject(t->s, "line", "longer than 64 KiB");
                line_start = pos + (int64_t)end + 1;
                alen = 0;
            }
            i = end + (nl ? 1 : 0);
        }
        pos += r;
    }
    free(acc);
}

typedef struct {
    char name[NAME_MAX + 1];
    struct stat sb;
} sibling;

static int join_path(char *out, size_t cap, const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    if (a + b + 2 > cap)
        return -1;
    memcpy(out, dir, a);
    out[a] = '/';
    memcpy(out + a + 1, name, b + 1);
    return 0;
}

/* Rotated names of our file: BASE.1, BASE.2, ... (not .gz: compressed). */
static size_t list_siblings(const tail_src *t, sibling *out, size_t cap)
{
    DIR *d = opendir(t->dir);
    if (!d)
        return 0;
    size_t n = 0, bl = strlen(t->base);
    struct dirent *de;
    while ((de = readdir(d)) && n < cap) {
        const char *nm = de->d_name;
        if (strncmp(nm, t->base, bl) != 0 || nm[bl] != '.' || !nm[bl + 1])
            continue;
        bool digits = true;
        for (const char *q = nm + bl + 1; *q; q++)
            digits &= *q >= '0' && *q <= '9';
        if (!digits || strlen(nm) > NAME_MAX)
            continue;
        char p[PATH_MAX];
        if (join_path(p, sizeof p, t->dir, nm) != 0 || stat(p, &out[n].sb) != 0 ||
            !S_ISREG(out[n].sb.st_mode))
            continue;
        snprintf(out[n].name, sizeof out[n].name, "%s", nm);
        n++;
    }
    closedir(d);
    return n;
}

static int open_sibling(const tail_src *t, const sibling *sib)
{
    char p[PATH_MAX];
    if (join_path(p, sizeof p, t->dir, sib->name) != 0)
        return -1;
    return open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
}

/* copytruncate raced us: lines written after our last read and before the
 * truncation live only in the copy (BASE.1). Find the copy that holds what we
 * read last at our offset and deliver the rest of it. */
static void recover_from_copy(tail_src *t)
{
    sibling sib[16];
    size_t n = list_siblings(t, sib, 16);
    int64_t from = t->off - (int64_t)t->len; /* start of a partial line */
    for (size_t i = 0; i < n; i++) {
        const struct stat *sb = &sib[i].sb;
        if (sb->st_mtime < t->opened_at - 2 || was_seen(t, sb))
            continue;
        if (t->off == 0 ? strcmp(sib[i].name + strlen(t->base), ".1") != 0 : sb->st_size < t->off)
            continue;
        int fd = open_sibling(t, &sib[i]);
        if (fd < 0)
            continue;
        bool match = mark_matches(t, fd, t->off);
        if (match) {
            if (sb->st_size - from > 0 && sb->st_size - from < RECOVER_MAX) {
                hub_log(t->s, "reading the end of %s (copied before the truncation)", sib[i].name);
                read_range(t, fd, from, sb->st_size);
            }
            remember(t, sb);
        }
        close(fd);
        if (match)
            return;
    }
}

static int cmp_mtime(const void *a, const void *b)
{
    const sibling *x = a, *y = b;
    if (x->sb.st_mtim.tv_sec != y->sb.st_mtim.tv_sec)
        return x->sb.st_mtim.tv_sec < y->sb.st_mtim.tv_sec ? -1 : 1;
    return (x->sb.st_mtim.tv_nsec > y->sb.st_mtim.tv_nsec) - (x->sb.st_mtim.tv_nsec < y->sb.st_mtim.tv_nsec);
}

/* Several rotations while we were busy: a file that was at the path after
 * ours and has been rotated away too was never opened. Read such unseen
 * rotated files, written after ours, whole and oldest first. */
static bool newer(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec != b->tv_sec ? a->tv_sec > b->tv_sec : a->tv_nsec > b->tv_nsec;
}

static void read_missed_rotations(tail_src *t, uint64_t new_dev, uint64_t new_ino)
{
    /* Only files written after ours stopped: earlier rotations are older. */
    struct stat old;
    if (fstat(t->fd, &old) != 0)
        return;
    sibling sib[16];
    size_t n = list_siblings(t, sib, 16), k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct stat *sb = &sib[i].sb;
        if (!newer(&sb->st_mtim, &old.st_mtim) || was_seen(t, sb) ||
            ((uint64_t)sb->st_dev == t->dev && (uint64_t)sb->st_ino == t->ino) ||
            ((uint64_t)sb->st_dev == new_dev && (uint64_t)sb->st_ino == new_ino))
            continue;
        sib[k++] = sib[i];
    }
    qsort(sib, k, sizeof sib[0], cmp_mtime);
    for (size_t i = 0; i < k; i++) {
        int fd = open_sibling(t, &sib[i]);
        if (fd < 0)
            continue;
        if (sib[i].sb.st_size < RECOVER_MAX) {
            hub_log(t->s, "reading %s, rotated before we got to it", sib[i].name);
            read_range(t, fd, 0, sib[i].sb.st_size);
        }
        remember(t, &sib[i].sb);
        close(fd);
    }
}

static int open_path(tail_src *t)
{
    int fd = open(t->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return -1;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        close(fd);
        return -1;
    }
    if (t->fd >= 0)
        close(t->fd);
    t->fd = fd;
    t->dev = (uint64_t)sb.st_dev;
    t->ino = (uint64_t)sb.st_ino;
    t->opened_at = time(NULL);
    reset_to_start(t);
    t->missing_logged = false;
    t->s->st.state = SRC_ST_CONNECTED;
    hub_clear_error(t->s);
    return 0;
}

static void check(tail_src *t)
{
    if (t->fd >= 0) {
        struct stat fsb;
        if (fstat(t->fd, &fsb) == 0 &&
            (fsb.st_size < t->off || !mark_matches(t, t->fd, t->off))) {
            hub_log(t->s, "truncated: reading from the start");
            recover_from_copy(t);
            reset_to_start(t);
            note_position(t);
        }
        read_to_eof(t);
    }
    struct stat sb;
    if (stat(t->path, &sb) != 0) {
        if (!t->missing_logged) {
            hub_set_error(t->s, "%s: %s (waiting for it)", t->path, strerror(errno));
            t->missing_logged = true;
        }
        return;
    }
    if (t->fd >= 0 && (uint64_t)sb.st_dev == t->dev && (uint64_t)sb.st_ino == t->ino)
        return;
    /* Rotated (or first appearance): the old fd was drained above. */
    if (t->fd >= 0) {
        if (t->len > 0)
            hub_log(t->s, "rotated with an unfinished last line; dropped");
        struct stat old;
        if (fstat(t->fd, &old) == 0)
            remember(t, &old);
        read_missed_rotations(t, (uint64_t)sb.st_dev, (uint64_t)sb.st_ino);
    }
    if (open_path(t) == 0) {
        note_position(t);
        read_to_eof(t);
    }
}

static void on_inotify(void *ud, int fd, short rev)
{
    (void)rev;
    tail_src *t = ud;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool ours = false;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            if (ev->mask & IN_Q_OVERFLOW)
                ours = true;
            else if (ev->len && strcmp(ev->name, t->base) == 0)
                ours = true;
            p += sizeof *ev + ev->len;
        }
    }
    if (ours)
        check(t);
}

static void on_poll(void *ud)
{
    tail_src *t = ud;
    t->poll_timer = loop_timer_add(hub_loop(t->s->h), POLL_MS, on_poll, t);
    check(t);
}

/* After a restart the stored inode may sit under another name (FILE.1): finish
 * it from the stored offset before starting on the new file. */
static void resume_rotated(tail_src *t, uint64_t dev, uint64_t ino, int64_t off)
{
    DIR *d = opendir(t->dir);
    if (!d)
        return;
    struct dirent *de;
    char p[PATH_MAX];
    while ((de = readdir(d))) {
        if (de->d_ino != (ino_t)ino)
            continue;
        snprintf(p, sizeof p, "%s/%s", t->dir, de->d_name);
        int fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
        struct stat sb;
        if (fd < 0)
            continue;
        if (fstat(fd, &sb) == 0 && (uint64_t)sb.st_dev == dev && (uint64_t)sb.st_ino == ino &&
            sb.st_size >= off) {
            hub_log(t->s, "resuming the rotated %s at offset %lld", p, (long long)off);
            t->fd = fd;
            t->dev = dev;
            t->ino = ino;
            t->opened_at = time(NULL);
            reset_to_start(t);
            t->off = off;
            read_to_eof(t);
            break;
        }
        close(fd);
    }
    closedir(d);
}

int tail_source_start(hub_source *s, const char *path, char *err, size_t errlen)
{
    tail_src *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    t->s = s;
    t->fd = -1;
    t->ino_fd = -1;
    s->impl = t;
    s->ops = &tail_ops;
    t->path = strdup(path);
    char *a = strdup(path), *b = strdup(path);
    if (a && b) {
        t->dir = strdup(dirname(a));
        t->base = strdup(basename(b));
    }
    free(a);
    free(b);
    t->chunk = malloc(READ_CHUNK);
    if (!t->path || !t->dir || !t->base || !t->chunk) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    s->st.state = SRC_ST_CONNECTING;

    uint64_t dev = 0, ino = 0;
    int64_t off = 0;
    bool have = store_tail_get(hub_store(s->h), path, &dev, &ino, &off) == 0;
    struct stat sb;
    bool exists = stat(path, &sb) == 0;
    if (have && exists && (uint64_t)sb.st_dev == dev && (uint64_t)sb.st_ino == ino) {
        if (open_path(t) == 0) {
            if (sb.st_size >= off)
                t->off = off;
            else
                hub_log(s, "%s is shorter than the stored offset: reading from the start", path);
        }
    } else if (have) {
        resume_rotated(t, dev, ino, off);
    }

    t->ino_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (t->ino_fd >= 0) {
        t->wd = inotify_add_watch(t->ino_fd, t->dir,
                                  IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE |
                                      IN_CLOSE_WRITE | IN_ATTRIB);
        if (t->wd < 0) {
            close(t->ino_fd);
            t->ino_fd = -1;
        }
    }
    loop *lp = hub_loop(s->h);
    if (t->ino_fd >= 0)
        loop_watch_fd(lp, t->ino_fd, POLLIN, on_inotify, t);
    else
        t->poll_timer = loop_timer_add(lp, POLL_MS, on_poll, t);
    check(t);
    if (t->fd < 0 && !t->s->st.last_error[0])
        hub_set_error(t->s, "%s: not there yet", path);
    return 0;
}
