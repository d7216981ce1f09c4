/* Exact positioning in a recording (include/cxm/recseek.h). */
#include "cxm/recseek.h"

#include <stdio.h>
#include <stdlib.h>

#define SKIP_CHUNK 4096 /* frames per discarded read */

bool rec_seek_is_exact(int format)
{
    switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_OGG:  /* Vorbis, Opus: see the header */
    case SF_FORMAT_MPEG: /* MP3 */
        return false;
    default:
        return true;
    }
}

int rec_seek_exact(SNDFILE *sf, const SF_INFO *info, int64_t k)
{
    if (k < 0 || k > info->frames)
        return -1;
    if (rec_seek_is_exact(info->format))
        return sf_seek(sf, k, SEEK_SET) == k ? 0 : -1;
    if (k == 0)
        return 0;
    /* Decode and discard: reading is what the reference decode does too. */
    float *buf = malloc(sizeof(float) * SKIP_CHUNK * (size_t)(info->channels > 0 ? info->channels : 1));
    if (!buf)
        return -1;
    int ret = 0;
    for (int64_t left = k; left > 0;) {
        sf_count_t want = left < SKIP_CHUNK ? left : SKIP_CHUNK;
        if (sf_readf_float(sf, buf, want) != want) {
            ret = -1;
            break;
        }
        left -= want;
    }
    free(buf);
    return ret;
}
