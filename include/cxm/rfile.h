/* Opening files the user names (config, keymap, theme, token file) safely:
 * only regular files, opened without blocking (a FIFO or a tty named by
 * mistake or malice would hang start-up in open() with signals blocked), read
 * with a bound (/dev/zero or a 300 MB one-line file must not eat the memory),
 * and, for secrets, owned by the running user or root as ssh requires. */
#ifndef CXM_RFILE_H
#define CXM_RFILE_H

#include <stdbool.h>
#include <stddef.h>

/* Opens path read-only if it is a regular file: O_NONBLOCK so the open of a
 * FIFO or device returns at once, fstat, then back to blocking reads.
 * Returns the descriptor (O_CLOEXEC), or -1 with `why` set to a reason
 * without the path ("No such file or directory", "not a regular file (a
 * FIFO)"). */
int rfile_open(const char *path, char *why, size_t cap);

/* Reads a whole regular file of at most `max` bytes into a malloc'd,
 * NUL-terminated buffer (*len excludes the NUL). 0, or -1 with `why`
 * ("larger than 65536 bytes", "out of memory", "read error: ..."). */
int rfile_read(const char *path, size_t max, char **out, size_t *len, char *why, size_t cap);

/* For secrets: the file open on fd (and path itself when it is a symbolic
 * link) must belong to the running user or root. 0, or -1 with `why`. */
int rfile_check_owner(int fd, const char *path, char *why, size_t cap);

#endif
