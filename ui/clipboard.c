/* The clipboard: OSC 52 to the user's own terminal (works over SSH). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"

int ui_clipboard_copy(ui_app *app, const char *text)
{
    (void)app;
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(text);
    if (n > 74994) /* xterm's default limit on the whole sequence is 100000 */
        return -1;
    char *out = malloc(n / 3 * 4 + 16 + 16);
    if (!out)
        return -1;
    size_t o = 0;
    memcpy(out, "\033]52;c;", 7);
    o = 7;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)text[i] << 16;
        if (i + 1 < n)
            v |= (unsigned char)text[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)text[i + 2];
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? b64[v & 63] : '=';
    }
    out[o++] = '\a';
    /* Curses has flushed its buffer at the last doupdate, so the sequence
     * cannot land inside one of its own. */
    size_t off = 0;
    int rc = 0;
    while (off < o) {
        ssize_t w = write(STDOUT_FILENO, out + off, o - off);
        if (w <= 0) {
            rc = -1;
            break;
        }
        off += (size_t)w;
    }
    free(out);
    return rc;
}
