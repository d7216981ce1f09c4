/* libFuzzer: any file either loads into a config within its documented
 * bounds, or fails with "FILE:LINE: reason" and leaves the config alone. */
#include <assert.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxm/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void remove_file(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        /* tmpfs when there is one: a file is written for every input. */
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(path, sizeof path, "%s/cxm-fuzz-config-%ld.ini", dir, (long)getpid());
        setenv("HOME", "/home/fuzz", 1);
        atexit(remove_file);
    }
    FILE *f = fopen(path, "wb");
    assert(f);
    fwrite(data, 1, size, f);
    fclose(f);

    cxm_config c;
    char err[512];
    config_defaults(&c);
    int rc = config_load(&c, path, err, sizeof err);
    if (rc == 0) {
        assert(c.kpi_k >= 0.2 && c.kpi_k <= 1);
        assert(c.rules.scale.nvalues >= 2 && c.rules.scale.nvalues <= RULES_SCALE_VALUES_MAX);
        assert(c.nalerts >= 0 && c.nalerts <= CONFIG_ALERTS_MAX);
        assert(c.nsources >= 0 && c.nsources <= CONFIG_SOURCES_MAX);
        for (int i = 0; i < c.nalerts; i++) {
            assert(c.alerts[i].types_mask != 0);
            assert(c.alerts[i].count_threshold > 0 || c.alerts[i].share_threshold > 0);
            assert(c.alerts[i].window_s > 0);
        }
        for (int i = 0; i < c.nsources; i++)
            assert(c.sources[i].target || c.sources[i].kind == SRC_DEMO);
        assert(c.clip_around_s > 0 && c.heartbeat_timeout_s > 0);
    } else {
        assert(rc == -1);
        assert(strncmp(err, path, strlen(path)) == 0 && err[strlen(path)] == ':');
        /* The caller's config is what it was. */
        assert(c.nalerts == 2 && c.kpi_k == 0.5 && c.nsources == 0 && !c.theme);
    }
    config_free(&c);
    return 0;
}
