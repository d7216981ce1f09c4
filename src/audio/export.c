/* A clip to one WAV file (include/cxm/recordings.h). PCM sources are copied
 * as integers (or doubles for float PCM) through libsndfile, which is exact;
 * lossy sources are decoded and written as 16-bit PCM. */
#include <errno.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxm/recordings.h"
#include "cxm/recseek.h"
#include "cxm/i18n.h"

#define CHUNK 8192 /* frames per read */

typedef enum { PATH_INT, PATH_DOUBLE, PATH_DECODE } copy_path;

/* The WAV subtype that holds a source's samples exactly, and how to copy. */
static int out_subtype(int format, copy_path *how)
{
    int sub = format & SF_FORMAT_SUBMASK;
    switch (sub) {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
        *how = PATH_INT;
        return SF_FORMAT_PCM_U8; /* WAV's 8-bit PCM is unsigned */
    case SF_FORMAT_PCM_16:
    case SF_FORMAT_PCM_24:
    case SF_FORMAT_PCM_32:
        *how = PATH_INT;
        return sub;
    case SF_FORMAT_FLOAT:
    case SF_FORMAT_DOUBLE:
        *how = PATH_DOUBLE;
        return sub;
    default: /* Vorbis, Opus, MP3, u-law, ADPCM...: decoded */
        *how = PATH_DECODE;
        return SF_FORMAT_PCM_16;
    }
}

static int copy_segment(const char *root, const rec_segment *sg, SNDFILE *out, copy_path how,
                        void *buf, char *err, size_t errlen)
{
    char full[2 * REC_PATH_MAX + 2];
    snprintf(full, sizeof full, "%s/%s", root, sg->file->path);
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *in = sf_open(full, SFM_READ, &info);
    if (!in) {
        snprintf(err, errlen, _("%s: %s"), full, sf_strerror(NULL));
        return -1;
    }
    int ret = -1;
    if (info.samplerate != sg->file->rate || info.channels != sg->file->channels ||
        info.frames < sg->to_frame) {
        snprintf(err, errlen, _("%s: changed since it was indexed (%d Hz, %d ch, %lld frames)"), full,
                 info.samplerate, info.channels, (long long)info.frames);
        goto out;
    }
    if (rec_seek_exact(in, &info, full, sg->from_frame) != 0) {
        snprintf(err, errlen, _("%s: cannot seek to frame %lld: %s"), full, (long long)sg->from_frame,
                 sf_error(in) ? sf_strerror(in) : _("the file is shorter than its header says"));
        goto out;
    }
    for (int64_t left = sg->to_frame - sg->from_frame; left > 0;) {
        sf_count_t want = left < CHUNK ? left : CHUNK, got, put;
        if (how == PATH_INT) {
            got = sf_readf_int(in, buf, want);
            put = got > 0 ? sf_writef_int(out, buf, got) : 0;
        } else if (how == PATH_DOUBLE) {
            got = sf_readf_double(in, buf, want);
            put = got > 0 ? sf_writef_double(out, buf, got) : 0;
        } else {
            got = sf_readf_float(in, buf, want);
            put = got > 0 ? sf_writef_float(out, buf, got) : 0;
        }
        if (got != want) {
            snprintf(err, errlen, _("%s: cannot read frames %lld-%lld: %s"), full,
                     (long long)(sg->to_frame - left), (long long)sg->to_frame,
                     got < 0 || sf_error(in) ? sf_strerror(in) : _("the file is shorter than its header says"));
            goto out;
        }
        if (put != got) {
            snprintf(err, errlen, _("writing: %s"), sf_strerror(out));
            goto out;
        }
        left -= got;
    }
    ret = 0;
out:
    sf_close(in);
    return ret;
}

int rec_export_wav(const char *root, const rec_plan *p, const char *out, char *err,
                   size_t errlen)
{
    if (p->ngap) {
        snprintf(err, errlen, _("the window is not wholly recorded"));
        return -1;
    }
    if (!p->nseg) {
        snprintf(err, errlen, _("nothing to export"));
        return -1;
    }
    if (p->mixed) {
        snprintf(err, errlen, _("the window spans recordings of different formats"));
        return -1;
    }
    copy_path how;
    int sub = out_subtype(p->seg[0].file->format, &how);
    for (size_t i = 1; i < p->nseg; i++) {
        copy_path h2;
        if (out_subtype(p->seg[i].file->format, &h2) != sub || h2 != how) {
            snprintf(err, errlen, _("the window spans recordings of different sample formats"));
            return -1;
        }
    }
    size_t tlen = strlen(out) + 32;
    char *tmp = malloc(tlen);
    void *buf = malloc((size_t)CHUNK * (size_t)p->channels * sizeof(double));
    if (!tmp || !buf) {
        free(tmp);
        free(buf);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    /* Beside the target, so the rename is atomic; open() honours the umask. */
    snprintf(tmp, tlen, "%s.%ld.tmp", out, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    int ret = -1;
    if (fd < 0) {
        snprintf(err, errlen, _("%s: %s"), out, strerror(errno));
        goto done;
    }
    SF_INFO oi;
    memset(&oi, 0, sizeof oi);
    oi.samplerate = p->rate;
    oi.channels = p->channels;
    oi.format = SF_FORMAT_WAV | sub;
    SNDFILE *o = sf_open_fd(fd, SFM_WRITE, &oi, SF_TRUE);
    if (!o) {
        snprintf(err, errlen, _("%s: %s"), out, sf_strerror(NULL));
        unlink(tmp);
        goto done;
    }
    if (how == PATH_DECODE)
        sf_command(o, SFC_SET_CLIPPING, NULL, SF_TRUE);
    for (size_t i = 0; i < p->nseg; i++)
        if (copy_segment(root, &p->seg[i], o, how, buf, err, errlen) != 0) {
            sf_close(o);
            unlink(tmp);
            goto done;
        }
    if (sf_close(o) != 0) {
        snprintf(err, errlen, _("%s: cannot finish the file"), out);
        unlink(tmp);
        goto done;
    }
    if (rename(tmp, out) != 0) {
        snprintf(err, errlen, _("%s: %s"), out, strerror(errno));
        unlink(tmp);
        goto done;
    }
    ret = 0;
done:
    free(tmp);
    free(buf);
    return ret;
}
