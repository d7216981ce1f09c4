/* A libcurl multi handle driven by the one loop (DESIGN §2): curl's sockets
 * become loop fd watches and its timeout a loop timer, so transfers never
 * block the console and need no thread. Shared by the SSE sources (http.c)
 * and the Telegram forwarder (tgfwd.c); each owner keeps its own easy
 * handles and hears of every finished transfer through one callback. */
#ifndef CXM_FEED_CURLMULTI_H
#define CXM_FEED_CURLMULTI_H

#include <curl/curl.h>
#include <stdbool.h>

#include "cxm/loop.h"

typedef struct curlmulti curlmulti;

/* A transfer finished. The handle is still in the multi: the owner removes
 * it (it may add the next one from here). The owner must not free the
 * curlmulti from inside this callback. */
typedef void (*curlmulti_done_cb)(void *ud, CURL *easy, CURLcode result);

/* curl_global_init once per process; false when libcurl cannot start.
 * curlmulti_new calls it too: call it first only to tell that failure apart. */
bool curlmulti_global_init(void);

/* NULL when libcurl cannot start or memory runs out. */
curlmulti *curlmulti_new(loop *lp, curlmulti_done_cb done, void *ud);

CURLMcode curlmulti_add(curlmulti *cm, CURL *easy);
CURLMcode curlmulti_remove(curlmulti *cm, CURL *easy);

/* Remove (and clean up) every easy handle first. Leaves nothing of this
 * handle in the loop. NULL is a no-op. */
void curlmulti_free(curlmulti *cm);

#endif
