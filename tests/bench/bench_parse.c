/* Figures for the per-event costs on the import path: event_parse (cJSON +
 * validation), event_to_json, and text_fit on a Cyrillic name. CPU time of
 * this process, so a busy machine distorts them less than wall time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include "cxm/event.h"
#include "cxm/text.h"

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    char path[1024];
    const char *src = getenv("CXM_SRC");
    if (argc > 1)
        snprintf(path, sizeof path, "%s", argv[1]);
    else
        snprintf(path, sizeof path, "%s/tests/fixtures/events_good.jsonl", src ? src : ".");
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 1;
    }
    enum { MAXL = 256 };
    char *lines[MAXL];
    size_t lens[MAXL], total = 0;
    int n = 0;
    char *l = NULL;
    size_t cap = 0;
    ssize_t k;
    while (n < MAXL && (k = getline(&l, &cap, f)) >= 0) {
        if (k < 3) continue;
        lines[n] = strdup(l);
        lens[n] = (size_t)k;
        total += (size_t)k;
        n++;
    }
    free(l);
    fclose(f);
    if (n == 0) {
        fprintf(stderr, "bench_parse: no events in %s\n", path);
        return 1;
    }

    const int N = 500000;
    event ev;
    char why[256];
    int rejected = 0;
    double t0 = cpu_s();
    for (int i = 0; i < N; i++) {
        if (event_parse(lines[i % n], lens[i % n], NULL, &ev, why, sizeof why) != EVENT_OK)
            rejected++;
        event_clear(&ev);
    }
    double t1 = cpu_s();
    printf("bench_parse: %d distinct lines, %zu bytes on average (%s)\n", n, total / (size_t)n,
           path);
    printf("event_parse:   %.3f us/event  (%.0f events/s CPU)%s\n", (t1 - t0) * 1e6 / N,
           N / (t1 - t0), rejected ? "  [some lines rejected]" : "");

    event evs[MAXL];
    for (int i = 0; i < n; i++)
        event_parse(lines[i], lens[i], NULL, &evs[i], why, sizeof why);
    t0 = cpu_s();
    for (int i = 0; i < N; i++)
        free(event_to_json(&evs[i % n]));
    t1 = cpu_s();
    printf("event_to_json: %.3f us/event\n", (t1 - t0) * 1e6 / N);
    for (int i = 0; i < n; i++)
        event_clear(&evs[i]);

    text_set_utf8(true);
    const char *name = "Мария-Луиза Константинопольская";
    char out[128];
    t0 = cpu_s();
    for (int i = 0; i < N; i++)
        text_fit(name, strlen(name), 20 + i % 8, true, out, sizeof out);
    t1 = cpu_s();
    printf("text_fit:      %.3f us/call (31-character Cyrillic name into 20-27 columns)\n",
           (t1 - t0) * 1e6 / N);
    for (int i = 0; i < n; i++)
        free(lines[i]);
    return 0;
}
