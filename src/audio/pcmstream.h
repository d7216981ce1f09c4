/* A clip as one seekable WAV byte stream, decoded from the recordings by
 * libsndfile. The libvlc backend plays this through libvlc_media_new_callbacks
 * instead of asking VLC to seek inside the files itself: VLC's :start-time is
 * not exact (it was seen ignored on a loaded machine) and its :stop-time
 * overshoots, while this stream holds exactly the window's samples, across
 * file boundaries too. No curses, no store: it runs on VLC's input thread. */
#ifndef CXM_PCMSTREAM_H
#define CXM_PCMSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct {
    const char *path;
    int64_t from_frame, to_frame; /* [from, to) of the file */
    int format;                   /* SF_FORMAT_* of the file */
} pcm_piece;

typedef struct pcm_stream pcm_stream;

/* The pieces must share rate and channels (the caller refuses mixed plans).
 * The stream is 16-bit PCM when every piece is integer PCM of 16 bits or
 * fewer or lossy (decoded), and 32-bit float otherwise (24/32-bit and float
 * sources), so the samples are kept exactly. NULL with err on failure. */
pcm_stream *pcm_stream_new(const pcm_piece *pieces, size_t n, int rate, int channels, char *err,
                           size_t errlen);
void pcm_stream_free(pcm_stream *s);

uint64_t pcm_stream_size(const pcm_stream *s); /* header + data, bytes */
int64_t pcm_stream_frames(const pcm_stream *s);

/* Like read(2) from the current offset: bytes copied, 0 at the end, -1 on a
 * read error (pcm_stream_error says which file and why). */
ssize_t pcm_stream_read(pcm_stream *s, unsigned char *buf, size_t len);
/* 0, or -1 past the end. */
int pcm_stream_seek(pcm_stream *s, uint64_t offset);
const char *pcm_stream_error(const pcm_stream *s);

#endif
