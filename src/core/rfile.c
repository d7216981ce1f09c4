/* See rfile.h. On failure errno says what kind (ENOENT, EISDIR, EINVAL for
 * a FIFO or device, EFBIG, ENOMEM), so a caller can treat "missing" apart. */
#include "cxm/i18n.h"
#include "cxm/rfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m)) return _("a directory");
    if (S_ISFIFO(m)) return _("a FIFO");
    if (S_ISCHR(m)) return _("a character device");
    if (S_ISBLK(m)) return _("a block device");
    if (S_ISSOCK(m)) return _("a socket");
    return _("not a plain file");
}

int rfile_open(const char *path, char *why, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        snprintf(why, cap, "%s", strerror(e));
        errno = e;
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        snprintf(why, cap, "%s", strerror(e));
        close(fd);
        errno = e;
        return -1;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(why, cap, _("not a regular file (%s)"), kind_of(sb.st_mode));
        close(fd);
        errno = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

int rfile_read(const char *path, size_t max, char **out, size_t *len, char *why, size_t cap)
{
    *out = NULL;
    *len = 0;
    int fd = rfile_open(path, why, cap);
    if (fd < 0) return -1;
    /* one byte more than allowed tells "exactly max" from "larger" */
    char *buf = malloc(max + 2);
    if (!buf) {
        snprintf(why, cap, _("out of memory"));
        close(fd);
        errno = ENOMEM;
        return -1;
    }
    size_t n = 0;
    while (n < max + 1) {
        ssize_t r = read(fd, buf + n, max + 1 - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            int e = errno;
            snprintf(why, cap, _("read error: %s"), strerror(e));
            free(buf);
            close(fd);
            errno = e;
            return -1;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (n > max) {
        snprintf(why, cap, _("larger than %zu bytes"), max);
        free(buf);
        errno = EFBIG;
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

static bool owner_ok(uid_t uid)
{
    return uid == geteuid() || uid == 0;
}

int rfile_check_owner(int fd, const char *path, char *why, size_t cap)
{
    struct stat sb, lsb;
    if (fstat(fd, &sb) != 0) {
        snprintf(why, cap, "%s", strerror(errno));
        return -1;
    }
    if (!owner_ok(sb.st_uid)) {
        snprintf(why, cap, _("is owned by uid %u, not by you (uid %u) or root"), (unsigned)sb.st_uid,
                 (unsigned)geteuid());
        return -1;
    }
    /* A link someone else planted may point at our own file; it is theirs to
     * change, so it is refused too. */
    if (lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode) && !owner_ok(lsb.st_uid)) {
        snprintf(why, cap, _("is a symbolic link owned by uid %u, not by you (uid %u) or root"),
                 (unsigned)lsb.st_uid, (unsigned)geteuid());
        return -1;
    }
    return 0;
}
