/* A clip link fetched whole (DESIGN §6): the player streams a link itself,
 * but the level strip and the export need the clip's samples, so the link's
 * bytes are fetched once into the user's cache directory
 * ($XDG_CACHE_HOME/cxm-console/links/, a file named by a hash of the URL)
 * and decoded from there. libcurl runs on a thread of its own that touches
 * neither the store nor the screen and wakes the loop with a notifier when
 * the file is there (or not).
 *
 * The request goes as the player's does (include/cxm/cliplink.h): the cloud's
 * token and CA only to the cloud's own origin and never along a redirect; TLS
 * always verified. A size cap and timeouts bound what a link can cost; the
 * cache keeps the newest few files only. The token is never written to disk. */
#ifndef CXM_LINKFETCH_H
#define CXM_LINKFETCH_H

#include <stdint.h>
#include <stddef.h>

#include "cxm/config.h"
#include "cxm/loop.h"

#define LINKFETCH_MAX_BYTES (64LL * 1024 * 1024) /* a larger link is refused */
#define LINKFETCH_CACHE_FILES 16                 /* the cache keeps this many */
#define LINKFETCH_CACHE_BYTES (256LL * 1024 * 1024)

typedef struct linkfetch linkfetch;

typedef struct {
    int64_t max_bytes; /* 0: LINKFETCH_MAX_BYTES (tests set a small cap) */
    const char *dir;   /* NULL: the cache directory above */
} linkfetch_opts;

/* Starts fetching url (an http(s) link, cliplink_playable) under cfg's token
 * rules; `done` runs once on the loop's thread when the result is ready (at
 * once, through the loop, when the cache holds the link). NULL with err in the
 * UI language when it cannot start (the cloud's token unusable, no cache
 * directory). Call on the loop's thread. */
linkfetch *linkfetch_start(loop *lp, const cxm_config *cfg, const char *url,
                           const linkfetch_opts *o, loop_notify_cb done, void *ud, char *err,
                           size_t errlen);
/* After `done`: 0 with *path the fetched file (valid until linkfetch_free),
 * or -1 with err in the UI language (an HTTP status, an unreachable host,
 * the size cap), naming the link's origin, never its path or query. */
int linkfetch_result(linkfetch *lf, const char **path, char *err, size_t errlen);
/* Stops a fetch under way (within about a second) and frees; the cached
 * file stays for the next time. NULL is fine. */
void linkfetch_free(linkfetch *lf);

#endif
