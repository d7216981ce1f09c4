/* Token files (the cloud feed's bearer token, the Telegram bot token): read
 * only from a regular file nobody else can read, never echoed, even in an
 * error. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxm/i18n.h"
#include "cxm/rfile.h"
#include "feed/feed_internal.h"

#define TOKEN_MAX 4096

/* The token is a secret: read it only from a file nobody else can read, and
 * never echo it, even in an error. */
int feed_read_token(const char *path, char **out, char *err, size_t errlen)
{
    /* Non-blocking open: a FIFO would otherwise hang start-up in open()
     * (with the signals the loop handles still blocked). */
    char why_open[160];
    int fd = rfile_open(path, why_open, sizeof why_open);
    if (fd < 0) {
        snprintf(err, errlen, _("token file %s: %s"), path, why_open);
        return -1;
    }
    /* As ssh does for keys: a secret someone else owns (or a link someone
     * else planted) could be swapped under us. */
    if (rfile_check_owner(fd, path, why_open, sizeof why_open)) {
        snprintf(err, errlen, _("token file %s %s; refusing to use it"), path, why_open);
        close(fd);
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        snprintf(err, errlen, _("token file %s: %s"), path, strerror(errno));
        close(fd);
        return -1;
    }
    if (sb.st_mode & 077) {
        snprintf(err, errlen,
                 _("token file %s is accessible by group/others (mode %04o); refusing to use it: "
                 "run chmod 600 %s"),
                 path, (unsigned)(sb.st_mode & 07777), path);
        close(fd);
        return -1;
    }
    char *buf = calloc(1, TOKEN_MAX + 1);
    if (!buf) {
        close(fd);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    size_t n = 0;
    for (;;) {
        ssize_t r = read(fd, buf + n, TOKEN_MAX - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
        if (n == TOKEN_MAX)
            break;
    }
    close(fd);
    /* The token is the first line (the man page's word): a second line, a
     * comment or an editor's extra newline, is not part of it. */
    char *nl = memchr(buf, '\n', n);
    if (nl) {
        explicit_bzero(nl, n - (size_t)(nl - buf));
        n = (size_t)(nl - buf);
    }
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' ' ||
                     buf[n - 1] == '\t'))
        buf[--n] = '\0';
    const char *why = NULL;
    if (n == 0)
        why = "is empty";
    else if (n == TOKEN_MAX)
        why = "is too long";
    for (size_t i = 0; i < n && !why; i++)
        if ((unsigned char)buf[i] < 0x21 || (unsigned char)buf[i] > 0x7e)
            why = "contains spaces or control characters";
    if (why) {
        snprintf(err, errlen, _("token file %s %s"), path, why);
        explicit_bzero(buf, TOKEN_MAX);
        free(buf);
        return -1;
    }
    *out = buf;
    return 0;
}

