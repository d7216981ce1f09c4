/* Clip links (DESIGN §3 `clip.url`, §6): an event whose feed carried an
 * http(s) link to its clip plays that link. The cloud's bearer token (and
 * its CA) go with the request only when the link's origin — scheme, host
 * and port — is the cloud feed's own; any other host gets neither. */
#ifndef CXM_CLIPLINK_H
#define CXM_CLIPLINK_H

#include <stdbool.h>
#include <stddef.h>

#include "cxm/config.h"

/* An http:// or https:// URL with a host: the links the player fetches. A
 * link of another form (the sim's and the demo's paths into the recordings)
 * is not played: the recordings index covers those. */
bool cliplink_playable(const char *url);

/* "scheme://host:port" of an http(s) URL, lower case, the default port filled
 * in, user info dropped; -1 when it is not one. */
int cliplink_origin(const char *url, char *out, size_t cap);

typedef struct {
    char *bearer;        /* the cloud token; NULL when the link is not the cloud's */
    const char *ca_file; /* the cloud's CA for its own origin; NULL: the system's */
    const char *source;  /* the matching cloud source's target (for messages), NULL none */
} cliplink_auth;

/* What goes with a request for url under cfg. 0 (out filled, maybe empty),
 * or -1 with err when the cloud's token file cannot be used (the link is
 * then not fetched without it: the cloud would only answer 401). */
int cliplink_auth_for(const cxm_config *cfg, const char *url, cliplink_auth *out, char *err,
                      size_t errlen);
/* Wipes and frees the token. */
void cliplink_auth_clear(cliplink_auth *a);

#endif
