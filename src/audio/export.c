/* A clip to one WAV file (include/cxm/recordings.h). PCM sources are copied
 * as integers (or doubles for float PCM) through libsndfile, which is exact;
 * lossy sources are decoded and written as 16-bit PCM. */
#include <errno.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdbool.h>
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

/* One stretch of one file to copy: frames [from, to) of root/path (root NULL:
 * path as it is); to < 0: up to the end of the file, however long it turns
 * out to be (a lossy file's header may only estimate its length). rate and
 * channels are what the recordings index says (0: whatever the file holds). */
typedef struct {
    const char *root, *path;
    int64_t from, to;
    int rate, channels;
} src_part;

static int copy_part(const src_part *sp, SNDFILE *out, int channels, copy_path how, void *buf,
                     char *err, size_t errlen)
{
    char full[2 * REC_PATH_MAX + 2];
    if (sp->root)
        snprintf(full, sizeof full, "%s/%s", sp->root, sp->path);
    else
        snprintf(full, sizeof full, "%s", sp->path);
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *in = sf_open(full, SFM_READ, &info);
    if (!in) {
        snprintf(err, errlen, _("%s: %s"), full, sf_strerror(NULL));
        return -1;
    }
    int ret = -1;
    if ((sp->rate && info.samplerate != sp->rate) || info.channels != channels ||
        (sp->to >= 0 && info.frames < sp->to)) {
        snprintf(err, errlen, _("%s: changed since it was indexed (%d Hz, %d ch, %lld frames)"), full,
                 info.samplerate, info.channels, (long long)info.frames);
        goto out;
    }
    if (sp->from && rec_seek_exact(in, &info, full, sp->from) != 0) {
        snprintf(err, errlen, _("%s: cannot seek to frame %lld: %s"), full, (long long)sp->from,
                 sf_error(in) ? sf_strerror(in) : _("the file is shorter than its header says"));
        goto out;
    }
    bool to_end = sp->to < 0;
    for (int64_t left = to_end ? CHUNK : sp->to - sp->from, at = sp->from; left > 0;) {
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
        if (got < 0 || (got == 0 && to_end && sf_error(in))) {
            snprintf(err, errlen, _("%s: cannot read from frame %lld: %s"), full, (long long)at,
                     sf_strerror(in));
            goto out;
        }
        if (to_end && got == 0)
            break;
        if (!to_end && got != want) {
            snprintf(err, errlen, _("%s: cannot read frames %lld-%lld: %s"), full,
                     (long long)(sp->to - left), (long long)sp->to,
                     got < 0 || sf_error(in) ? sf_strerror(in) : _("the file is shorter than its header says"));
            goto out;
        }
        if (put != got) {
            snprintf(err, errlen, _("writing: %s"), sf_strerror(out));
            goto out;
        }
        at += got;
        if (!to_end)
            left -= got;
    }
    ret = 0;
out:
    sf_close(in);
    return ret;
}

/* The one WAV writer: the parts one after the other into `out`, written to a
 * temporary file beside it and renamed (atomic; nothing left on failure). */
static int write_wav(const src_part *parts, size_t n, int rate, int channels, int sub,
                     copy_path how, const char *out, char *err, size_t errlen)
{
    size_t tlen = strlen(out) + 32;
    char *tmp = malloc(tlen);
    void *buf = malloc((size_t)CHUNK * (size_t)channels * sizeof(double));
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
    oi.samplerate = rate;
    oi.channels = channels;
    oi.format = SF_FORMAT_WAV | sub;
    SNDFILE *o = sf_open_fd(fd, SFM_WRITE, &oi, SF_TRUE);
    if (!o) {
        snprintf(err, errlen, _("%s: %s"), out, sf_strerror(NULL));
        unlink(tmp);
        goto done;
    }
    if (how == PATH_DECODE)
        sf_command(o, SFC_SET_CLIPPING, NULL, SF_TRUE);
    for (size_t i = 0; i < n; i++)
        if (copy_part(&parts[i], o, channels, how, buf, err, errlen) != 0) {
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
    src_part *parts = calloc(p->nseg, sizeof *parts);
    if (!parts) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    for (size_t i = 0; i < p->nseg; i++) {
        const rec_segment *sg = &p->seg[i];
        parts[i] = (src_part){root, sg->file->path, sg->from_frame, sg->to_frame, sg->file->rate,
                              sg->file->channels};
    }
    int ret = write_wav(parts, p->nseg, p->rate, p->channels, sub, how, out, err, errlen);
    free(parts);
    return ret;
}

int rec_export_file_wav(const char *in, const char *out, char *err, size_t errlen)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open(in, SFM_READ, &info);
    if (!sf) {
        snprintf(err, errlen, _("not a sound format libsndfile can decode (%s)"), sf_strerror(NULL));
        return -1;
    }
    sf_close(sf);
    copy_path how;
    int sub = out_subtype(info.format, &how);
    src_part part = {NULL, in, 0, -1, 0, info.channels};
    return write_wav(&part, 1, info.samplerate, info.channels, sub, how, out, err, errlen);
}
