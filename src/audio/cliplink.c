/* See include/cxm/cliplink.h. */
#include "cxm/cliplink.h"
#include "cxm/i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed/feed_internal.h"

/* Splits an http(s) URL's authority; 0 or -1. */
static int split(const char *url, char *scheme, size_t scap, char *host, size_t hcap, long *port)
{
    if (!url)
        return -1;
    size_t sl;
    if (!strncasecmp(url, "https://", 8))
        sl = 5;
    else if (!strncasecmp(url, "http://", 7))
        sl = 4;
    else
        return -1;
    snprintf(scheme, scap, "%s", sl == 5 ? "https" : "http");
    *port = sl == 5 ? 443 : 80;
    const char *a = url + sl + 3;
    size_t alen = strcspn(a, "/?#");
    /* user info ends at the authority's last '@' */
    const char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (a[i] == '@')
            at = a + i;
    if (at) {
        alen -= (size_t)(at + 1 - a);
        a = at + 1;
    }
    const char *hend, *pstart = NULL;
    if (alen && a[0] == '[') { /* IPv6 literal */
        const char *rb = memchr(a, ']', alen);
        if (!rb)
            return -1;
        hend = rb + 1;
        if (hend < a + alen) {
            if (*hend != ':')
                return -1;
            pstart = hend + 1;
        }
    } else {
        const char *colon = memchr(a, ':', alen);
        hend = colon ? colon : a + alen;
        if (colon)
            pstart = colon + 1;
    }
    size_t hl = (size_t)(hend - a);
    if (hl == 0 || hl >= hcap)
        return -1;
    for (size_t i = 0; i < hl; i++)
        host[i] = (char)tolower((unsigned char)a[i]);
    host[hl] = '\0';
    if (pstart && pstart < a + alen) {
        long v = 0;
        for (const char *q = pstart; q < a + alen; q++) {
            if (!isdigit((unsigned char)*q) || v > 65535)
                return -1;
            v = v * 10 + (*q - '0');
        }
        if (v < 1 || v > 65535)
            return -1;
        *port = v;
    }
    return 0;
}

bool cliplink_playable(const char *url)
{
    char s[8], h[256];
    long port;
    return split(url, s, sizeof s, h, sizeof h, &port) == 0;
}

int cliplink_origin(const char *url, char *out, size_t cap)
{
    char s[8], h[256];
    long port;
    if (split(url, s, sizeof s, h, sizeof h, &port) != 0)
        return -1;
    int n = snprintf(out, cap, "%s://%s:%ld", s, h, port);
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int cliplink_auth_for(const cxm_config *cfg, const char *url, cliplink_auth *out, char *err,
                      size_t errlen)
{
    memset(out, 0, sizeof *out);
    char want[300], have[300];
    if (!cfg || cliplink_origin(url, want, sizeof want) != 0)
        return 0;
    for (int i = 0; i < cfg->nsources; i++) {
        const source_conf *s = &cfg->sources[i];
        if (s->kind != SRC_CLOUD || !s->target ||
            cliplink_origin(s->target, have, sizeof have) != 0 || strcmp(want, have) != 0)
            continue;
        out->source = s->target;
        out->ca_file = s->ca_file;
        if (s->token_file && feed_read_token(s->token_file, &out->bearer, err, errlen) != 0) {
            out->bearer = NULL;
            return -1;
        }
        /* mpv takes its header list comma-separated, one header a line */
        if (out->bearer && strpbrk(out->bearer, ",\r\n")) {
            snprintf(err, errlen, _("token file %s: the token holds a comma or a line break"),
                     s->token_file);
            cliplink_auth_clear(out);
            return -1;
        }
        return 0;
    }
    return 0;
}

void cliplink_auth_clear(cliplink_auth *a)
{
    if (a->bearer) {
        explicit_bzero(a->bearer, strlen(a->bearer));
        free(a->bearer);
    }
    memset(a, 0, sizeof *a);
}
