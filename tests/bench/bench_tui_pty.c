/* Drives the real console on a pseudo-terminal and measures what a user
 * feels (tests/bench/bench_tui.sh runs it):
 *   bench_tui_pty [--cols C --rows R] [--keys N] [--idle S] [--busy S] [--key-timeout MS]
 *                 [--play] -- CMD ARGS...
 * - first frame: from exec to the end of the first burst of output that
 *   contains the title bar's "F1" (the app paints every window in its first
 *   pass and flushes once, so that burst is the whole first frame);
 * - key-to-frame: the stream view, then N keys (Down, and PgDn every 4th;
 *   Up and PgUp for the next 40, and so on, so no key hits the list's end);
 *   for each, from the write to the end of the screen update it caused;
 *   with --play, P first plays the newest event's clip, so the keys are
 *   measured while it plays (tests/bench/bench_audio.sh);
 * - RSS (VmRSS, VmHWM) after scrolling;
 * - CPU over --idle seconds on the dashboard, and over --busy seconds on the
 *   dashboard and then on the stream (the caller feeds events meanwhile).
 * A burst ends after 4 ms without output: curses writes a frame in one go. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int master = -1;
static pid_t child;

/* Reads until `quiet_ms` pass without output (or timeout_ms in all).
 * Returns the time of the last byte read (0 when none); with `want`, the
 * burst must also contain it (searched across the whole burst). */
static int64_t read_burst(int quiet_ms, int timeout_ms, const char *want, size_t *nbytes)
{
    static char acc[1 << 20];
    size_t n = 0;
    int64_t last = 0, start = now_us();
    bool seen = want == NULL;
    for (;;) {
        int wait = quiet_ms;
        int64_t left = timeout_ms - (now_us() - start) / 1000;
        if (left <= 0)
            break;
        if (!seen || !last)
            wait = (int)left; /* nothing (useful) yet: wait for it */
        struct pollfd p = {master, POLLIN, 0};
        int r = poll(&p, 1, wait);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        char buf[65536];
        ssize_t k = read(master, buf, sizeof buf);
        if (k <= 0)
            break;
        last = now_us();
        if (!seen) {
            size_t take = (size_t)k < sizeof acc - n - 1 ? (size_t)k : sizeof acc - n - 1;
            memcpy(acc + n, buf, take);
            n += take;
            acc[n] = '\0';
            seen = strstr(acc, want) != NULL;
        }
        if (nbytes)
            *nbytes += (size_t)k;
    }
    return seen ? last : 0;
}

static double cpu_seconds(void)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)child);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    unsigned long ut = 0, st = 0;
    /* fields after the command: state(3) ... utime(14) stime(15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static long status_kb(const char *key)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)child);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, key, kl) && line[kl] == ':')
            v = atol(line + kl + 1);
    fclose(f);
    return v;
}

/* Lets the console run for `secs` while draining its output. */
static double cpu_over(double secs)
{
    double c0 = cpu_seconds();
    int64_t end = now_us() + (int64_t)(secs * 1e6);
    while (now_us() < end) {
        struct pollfd p = {master, POLLIN, 0};
        int left = (int)((end - now_us()) / 1000);
        if (poll(&p, 1, left > 0 ? left : 0) > 0) {
            char buf[65536];
            if (read(master, buf, sizeof buf) <= 0)
                break;
        }
    }
    return (cpu_seconds() - c0) / secs * 100.0;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static void put(const char *s)
{
    if (write(master, s, strlen(s)) < 0)
        perror("write");
}

int main(int argc, char **argv)
{
    int cols = 200, rows = 50, nkeys = 300, key_timeout_ms = 1000;
    bool play = false;
    double idle = 10, busy = 0;
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--"); i++) {
        if (!strcmp(argv[i], "--cols") && i + 1 < argc)
            cols = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            rows = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--keys") && i + 1 < argc)
            nkeys = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--idle") && i + 1 < argc)
            idle = atof(argv[++i]);
        else if (!strcmp(argv[i], "--busy") && i + 1 < argc)
            busy = atof(argv[++i]);
        else if (!strcmp(argv[i], "--play"))
            play = true;
        else if (!strcmp(argv[i], "--key-timeout") && i + 1 < argc)
            key_timeout_ms = atoi(argv[++i]);
    }
    if (argc == 1) { /* run.sh runs every bench program bare */
        printf("bench_tui_pty: driven by tests/bench/bench_tui.sh\n");
        return 0;
    }
    if (i + 1 >= argc) {
        fprintf(stderr, "usage: bench_tui_pty [--cols C --rows R --keys N --idle S --busy S --key-timeout MS --play] -- CMD...\n");
        return 2;
    }
    char **cmd = argv + i + 1;
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    setenv("TERM", "xterm-256color", 1);
    int64_t t0 = now_us();
    child = forkpty(&master, NULL, NULL, &ws);
    if (child < 0) {
        perror("forkpty");
        return 1;
    }
    if (child == 0) {
        execvp(cmd[0], cmd);
        _exit(127);
    }
    int64_t first = read_burst(4, 10000, "F1", NULL);
    if (!first) {
        fprintf(stderr, "no first frame within 10 s\n");
        kill(child, SIGTERM);
        return 1;
    }
    printf("first full frame: %.1f ms (%dx%d)\n", (double)(first - t0) / 1000.0, cols, rows);
    fflush(stdout);

    if (idle > 0) {
        read_burst(200, 2000, NULL, NULL); /* let the dashboard settle */
        printf("idle CPU (dashboard, %.0f s): %.2f %%\n", idle, cpu_over(idle));
        fflush(stdout);
    }

    put("2"); /* the stream */
    read_burst(50, 3000, NULL, NULL);
    if (play) {
        put("P"); /* the newest event's main clip, playing while the keys go */
        read_burst(200, 3000, NULL, NULL);
    }
    int64_t *lat = calloc((size_t)nkeys, sizeof *lat);
    int got = 0;
    for (int k = 0; k < nkeys; k++) {
        /* Down and PgDn, then back up every 40 keys: a key at the end of
         * the list changes nothing, draws nothing, and would be timed to the
         * next clock tick instead (up to a second) */
        bool up = (k / 40) % 2;
        const char *key = k % 4 == 3 ? (up ? "\033[5~" : "\033[6~") : (up ? "k" : "j");
        int64_t s = now_us();
        put(key);
        int64_t e = read_burst(4, key_timeout_ms, NULL, NULL);
        if (e)
            lat[got++] = e - s;
        if (getenv("BENCH_TUI_DEBUG") && (!e || e - s > 20000))
            fprintf(stderr, "key %d (%s): %s %.1f ms\n", k, k % 4 == 3 ? "Page" : "Line",
                    e ? "slow" : "no output", e ? (double)(e - s) / 1000.0 : 0.0);
    }
    qsort(lat, (size_t)got, sizeof *lat, cmp_i64);
    if (got)
        printf("key-to-frame%s over %d keys (Down/Up, PgDn/PgUp every 4th): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
               play ? " while a clip plays" : "", got, (double)lat[got / 2] / 1000.0, (double)lat[(got * 99) / 100] / 1000.0,
               (double)lat[got - 1] / 1000.0);
    if (got < nkeys)
        printf("keys without a frame within %d ms: %d of %d\n", key_timeout_ms, nkeys - got, nkeys);
    printf("RSS after scrolling: %ld KiB (peak %ld KiB)\n", status_kb("VmRSS"), status_kb("VmHWM"));
    fflush(stdout);
    free(lat);

    if (busy > 0) {
        put("1");
        read_burst(50, 2000, NULL, NULL);
        printf("busy CPU (dashboard, %.0f s): %.2f %%\n", busy, cpu_over(busy));
        fflush(stdout);
        put("2g"); /* the stream, following */
        read_burst(50, 2000, NULL, NULL);
        printf("busy CPU (stream following, %.0f s): %.2f %%\n", busy, cpu_over(busy));
        printf("RSS at the end: %ld KiB (peak %ld KiB)\n", status_kb("VmRSS"), status_kb("VmHWM"));
        fflush(stdout);
    }
    put("Q");
    int st = 0;
    for (int k = 0; k < 50 && waitpid(child, &st, WNOHANG) == 0; k++) {
        read_burst(10, 100, NULL, NULL);
    }
    if (waitpid(child, &st, WNOHANG) == 0) {
        kill(child, SIGTERM);
        waitpid(child, &st, 0);
    }
    return 0;
}
