/* import: JSON lines from files or stdin into the store.
 *
 * Lines are read with our own buffered reader rather than getline: a line over
 * the 64 KiB event limit is skipped without ever being held in memory (a
 * 2 GB line must not take 2 GB), reported with its number, and the next line
 * is read normally. Accepted events are written in large BEGIN IMMEDIATE
 * transactions; whatever was accepted before a failure is committed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/cliopt.h"
#include "app/clistore.h"
#include "app/commands.h"
#include "cxm/alerts.h"
#include "cxm/config.h"
#include "cxm/event.h"
#include "cxm/store.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"

#include <sqlite3.h>
#include <time.h>

/* A transaction ends after BATCH events or TX_MAX_US of work, whichever comes
 * first: big enough to amortize the commit, short enough that another writer
 * (a console, a second import) never waits long for the lock. */
#define BATCH 50000
#define TX_MAX_US 1000000
/* How long an import waits for other writers before giving up: it is a batch
 * job, waiting is right; the store's own busy_timeout is meant for the UI. */
#define LOCK_WAIT_US (300LL * 1000000)
#define READ_CHUNK (1 << 20) /* must exceed EVENT_LINE_MAX + 1 */

typedef struct {
    int fd;
    char *buf;
    size_t start, end; /* unread bytes are buf[start..end) */
    bool eof;
    int err;           /* errno of a failed read */
} line_reader;

static volatile sig_atomic_t interrupted;

static void on_signal(int signo)
{
    interrupted = signo;
}

/* Returns 1 with the line in *line and *len (no newline; valid until the next
 * call), 2 for a line longer than EVENT_LINE_MAX (*len = its length, content
 * dropped), 0 at end of input, -1 on a read error (r->err). */
static int reader_next(line_reader *r, const char **line, size_t *len)
{
    size_t dropped = 0;
    bool dropping = false;
    for (;;) {
        char *nl = r->end > r->start ? memchr(r->buf + r->start, '\n', r->end - r->start) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - (r->buf + r->start));
            const char *p = r->buf + r->start;
            r->start += n + 1;
            /* the limit is on the content: a CRLF line may be one byte longer */
            if (dropping || n - (n && p[n - 1] == '\r') > EVENT_LINE_MAX) {
                *len = dropped + n;
                return 2;
            }
            *line = p;
            *len = n;
            return 1;
        }
        size_t pending = r->end - r->start;
        if (r->eof) {
            if (pending == 0 && !dropping)
                return 0;
            const char *p = r->buf + r->start;
            r->start = r->end;
            if (dropping || pending - (p[pending - 1] == '\r') > EVENT_LINE_MAX) {
                *len = dropped + pending;
                return 2;
            }
            *line = p;
            *len = pending;
            return 1;
        }
        if (pending > EVENT_LINE_MAX + 1) {
            /* too long already (even without a CR): forget it, keep only counting */
            dropping = true;
            dropped += pending;
            r->start = r->end = 0;
        } else if (r->start > 0) {
            memmove(r->buf, r->buf + r->start, pending);
            r->start = 0;
            r->end = pending;
        }
        /* An endless input (/dev/zero, a FIFO that never stops) never
         * blocks a read long enough for EINTR: look at the flag each time,
         * or SIGINT/SIGTERM would never end the import. */
        if (interrupted)
            return 0;
        ssize_t got = read(r->fd, r->buf + r->end, READ_CHUNK - r->end);
        if (got < 0) {
            if (errno == EINTR && interrupted)
                return 0; /* a blocked read (a FIFO) ended by SIGTERM: not a read error */
            if (errno == EINTR)
                continue;
            r->err = errno;
            return -1;
        }
        if (got == 0)
            r->eof = true;
        r->end += (size_t)got;
    }
}

typedef struct {
    store *st;
    const cxm_config *cfg;
    const cxm_rules *rules;
    bool alerts_failed;
    uint64_t imported, duplicates, rejected;
    uint64_t batch_new, batch_n; /* in the open transaction */
    int64_t tx_started_us;
    bool in_tx;
} importer;

/* SQLite says "disk I/O error"; the errno behind it says why (File too
 * large over `ulimit -f`, No space left on device). */
static const char *store_reason(store *st, char *buf, size_t cap)
{
    int e = sqlite3_system_errno(store_db(st));
    const char *m = store_errmsg(st);
    if (e && !strstr(m, strerror(e)))
        snprintf(buf, cap, "%s (%s)", m, strerror(e));
    else
        snprintf(buf, cap, "%s", m);
    return buf;
}

static int commit_batch(importer *im)
{
    char why[512];
    if (!im->in_tx)
        return 0;
    im->in_tx = false;
    if (store_commit(im->st)) {
        cli_error("import", "%s: commit failed: %s (%llu events of this batch not stored)",
                store_path(im->st), store_reason(im->st, why, sizeof why), (unsigned long long)im->batch_n);
        store_rollback(im->st);
        im->batch_new = im->batch_n = 0;
        return -1;
    }
    im->imported += im->batch_new;
    im->batch_new = im->batch_n = 0;
    return 0;
}

static bool store_busy(store *st)
{
    int rc = sqlite3_extended_errcode(store_db(st)) & 0xff;
    return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* BEGIN IMMEDIATE, waiting for other writers as long as LOCK_WAIT_US. */
static int begin_batch(importer *im)
{
    const int64_t deadline = time_mono_us() + LOCK_WAIT_US;
    while (store_begin(im->st)) {
        if (!store_busy(im->st) || time_mono_us() > deadline || interrupted)
            return -1;
        nap_ms(20);
    }
    im->in_tx = true;
    im->tx_started_us = time_mono_us();
    return 0;
}

static void report(const char *file, uint64_t lineno, const char *why)
{
    /* The reason can quote the input; it reaches a terminal only sanitized. */
    char safe[512];
    text_sanitize(why, strlen(why), safe, sizeof safe);
    fprintf(stderr, "%s: line %llu: %s\n", file, (unsigned long long)lineno, safe);
}

/* Returns 0; -1 when this input failed (reported; the next file may still be
 * read); -2 when the store failed and the import must stop. */
static int import_fd(importer *im, int fd, const char *file)
{
    line_reader r = {.fd = fd, .buf = malloc(READ_CHUNK)};
    const char *line;
    size_t len;
    uint64_t lineno = 0;
    char why[256];
    int rc;

    if (!r.buf) {
        cli_error("import", "%s: out of memory", file);
        return -1;
    }
    while (!interrupted && (rc = reader_next(&r, &line, &len)) != 0) {
        lineno++;
        if (rc < 0) {
            cli_error("import", "%s: read error after line %llu: %s", file,
                    (unsigned long long)(lineno - 1), strerror(r.err));
            free(r.buf);
            return -1;
        }
        if (rc == 2) {
            snprintf(why, sizeof why, "line: longer than %d bytes (%zu)", EVENT_LINE_MAX, len);
            report(file, lineno, why);
            im->rejected++;
            continue;
        }
        if (len && line[len - 1] == '\r')
            len--;
        event ev;
        int pr = event_parse(line, len, im->rules, &ev, why, sizeof why);
        if (pr == EVENT_BLANK)
            continue;
        if (pr != EVENT_OK) {
            report(file, lineno, why);
            im->rejected++;
            continue;
        }
        if (ev.type == EV_HEARTBEAT) {
            /* valid, accepted, and by design not stored */
            event_clear(&ev);
            im->imported++;
            continue;
        }
        if (!im->in_tx) {
            if (begin_batch(im)) {
                cli_error("import", "%s: cannot start a transaction: %s",
                        store_path(im->st), store_errmsg(im->st));
                event_clear(&ev);
                free(r.buf);
                return -2;
            }
        }
        bool inserted = false;
        int sr = store_put(im->st, &ev, &inserted);
        /* An imported day raises the alerts it would have raised live (the
         * rules work in event time), in the same transaction as its events. */
        if (sr == 0 && inserted && alerts_check(im->st, im->cfg, &ev, 1) < 0 && !im->alerts_failed) {
            im->alerts_failed = true;
            cli_error("import", "%s: alert rules could not be evaluated: %s",
                    store_path(im->st), store_errmsg(im->st));
        }
        event_clear(&ev);
        if (sr) {
            char sw[512];
            cli_error("import", "%s: line %llu: storing failed: %s", store_path(im->st),
                    (unsigned long long)lineno, store_reason(im->st, sw, sizeof sw));
            free(r.buf);
            return -2;
        }
        im->batch_n++;
        if (inserted)
            im->batch_new++;
        else
            im->duplicates++;
        if ((im->batch_n >= BATCH ||
             ((im->batch_n & 1023) == 0 && time_mono_us() - im->tx_started_us > TX_MAX_US)) &&
            commit_batch(im)) {
            free(r.buf);
            return -2;
        }
    }
    free(r.buf);
    return 0;
}

static int usage(void)
{
    return cliopt_usage_error("import", "usage: cxm-console import [--db FILE] [--config FILE] FILE...");
}

int cmd_import(int argc, char **argv)
{
    cliopt o;
    const char *name, *val, *db_opt = NULL, *config_path = NULL;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    int nfiles = 0, r, status = EXIT_OK;
    char err[512];

    if (!files)
        return EXIT_FAIL;
    cliopt_init(&o, "import", argc, argv);
    while ((r = cliopt_next(&o, &name, &val)) != 0) {
        if (r == 2) {
            files[nfiles++] = (char *)val;
            continue;
        }
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            puts("usage: cxm-console import [--db FILE] [--config FILE] FILE...\n"
                 "Stores events from JSON-lines files ('-' = stdin); duplicates by id are skipped.\n"
                 "Rejected lines go to stderr as 'FILE: line N: field: reason'; the last line on\n"
                 "stdout is 'imported N, duplicates D, rejected R'.\n"
                 "Exit status: 0 all stored, 3 some lines rejected, 1 failure, 2 usage.");
            free(files);
            return EXIT_OK;
        }
        if (strcmp(name, "--db") && strcmp(name, "--config")) {
            free(files);
            return cliopt_usage_error("import", "unknown option '%s'", name);
        }
        if (!(val = cliopt_value(&o, name, val))) {
            free(files);
            return EXIT_USAGE;
        }
        if (!strcmp(name, "--db"))
            db_opt = val;
        else
            config_path = val;
    }
    if (nfiles == 0) {
        free(files);
        return usage();
    }

    cxm_config cfg;
    config_defaults(&cfg);
    if (config_load(&cfg, config_path, err, sizeof err)) {
        cli_error("import", "config: %s", err);
        config_free(&cfg);
        free(files);
        return EXIT_FAIL;
    }
    char *db_default = NULL;
    const char *db_path = db_opt ? db_opt : cfg.db_path;
    if (!db_path && !(db_path = db_default = config_default_db_path())) {
        cli_error("import", "cannot determine the database path (set --db or XDG_DATA_HOME)");
        config_free(&cfg);
        free(files);
        return EXIT_FAIL;
    }

    /* Every input is checked before the database is opened (and perhaps
     * created): a typo in a file name must not leave an empty database. A
     * FIFO is fine (process substitution); a directory is not. */
    bool inputs_ok = true;
    for (int i = 0; i < nfiles; i++) {
        struct stat sb;
        const char *f = files[i];
        if (!strcmp(f, "-"))
            continue;
        const char *why = NULL;
        if (stat(f, &sb))
            why = strerror(errno);
        else if (S_ISDIR(sb.st_mode))
            why = strerror(EISDIR);
        else if (access(f, R_OK))
            why = strerror(errno);
        if (why) {
            char safe[1024];
            text_sanitize(f, strlen(f), safe, sizeof safe);
            cli_error("import", "%s: %s", safe, why);
            inputs_ok = false;
        }
    }
    if (!inputs_ok) {
        fputs("cxm-console import: nothing imported (no database opened)\n", stderr);
        printf("imported 0, duplicates 0, rejected 0\n");
        free(db_default);
        config_free(&cfg);
        free(files);
        return EXIT_FAIL;
    }

    /* An interrupt commits what was accepted so far instead of losing the batch.
     * Installed before the database exists, so a SIGTERM from someone who saw
     * it appear cannot kill the import without its summary. */
    struct sigaction sa = {.sa_handler = on_signal}, old_int, old_term;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    importer im = {.cfg = &cfg, .rules = &cfg.rules};
    if (clistore_open(db_path, LOCK_WAIT_US, &im.st, err, sizeof err)) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        clistore_report("import", db_path, err);
        free(db_default);
        config_free(&cfg);
        free(files);
        return EXIT_FAIL;
    }

    for (int i = 0; i < nfiles && !interrupted; i++) {
        const char *f = files[i];
        bool is_stdin = !strcmp(f, "-");
        const char *label = is_stdin ? "<stdin>" : f;
        int fd = is_stdin ? STDIN_FILENO : open(f, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            cli_error("import", "%s: %s", f, strerror(errno));
            status = EXIT_FAIL;
            continue;
        }
        int ir = import_fd(&im, fd, label);
        if (!is_stdin)
            close(fd);
        if (ir < 0)
            status = EXIT_FAIL;
        if (ir == -2)
            break; /* the store refused: commit what it took, read no further */
    }
    if (im.in_tx && commit_batch(&im))
        status = EXIT_FAIL;
    if (interrupted) {
        cli_error("import", "interrupted; what was read so far is stored");
        status = EXIT_FAIL;
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);

    store_close(im.st);
    printf("imported %llu, duplicates %llu, rejected %llu\n", (unsigned long long)im.imported,
           (unsigned long long)im.duplicates, (unsigned long long)im.rejected);
    if (status == EXIT_OK && im.rejected)
        status = EXIT_PARTIAL;
    if (fflush(stdout) == EOF)
        status = EXIT_FAIL;
    free(db_default);
    config_free(&cfg);
    free(files);
    return status;
}
