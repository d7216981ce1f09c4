/* Reaching frame k of a recording so that what is read next is what
 * libsndfile decodes there when it reads the file from its start: exactly
 * for PCM, FLAC and Vorbis, to within the decoder's restart for Opus and MP3.
 *
 * Why not plain sf_seek(): libsndfile 1.2.0's sf_seek() is exact for PCM and
 * FLAC, but not for the lossy Ogg and MPEG codecs, while it returns the frame
 * asked for all the same:
 * - Ogg/Vorbis: when the page search ends on the last (end-of-stream) page,
 *   the position is computed from that page's granule position, which is cut
 *   to the stream's true end, so reading starts late by the final padding
 *   (+128 frames at 16 kHz, +448 at 48 kHz, +720 at 44.1 kHz measured);
 * - Ogg/Opus: the position is right, but the decoder restarts with a short
 *   pre-roll, so the samples differ from a decode from the start;
 * - MP3 (mpg123): the samples after a seek differ from the full decode.
 * So: Vorbis seeks with sf_seek() only up to the end of the last page but one
 * (found by reading the file's tail; the page search then cannot end on the
 * last page, and a Vorbis decoder restarted on an inner page gives the same
 * samples, as every block depends only on itself and the one before) and
 * decodes on from there: exact. Opus and MP3 seek with sf_seek() to 1 s
 * before k (their positions are right; the decoder needs the run-up: MP3's
 * bit reservoir, Opus's pre-roll) and decode on: the position is exact and
 * the samples are within 1.5e-7 (MP3) and 0.004 (Opus at 12-24 kHz; exact at
 * 8 and 48 kHz) of a decode from the start, measured over 16-48 kHz. A
 * decode from the start would be bit-identical but costs seconds per hour of
 * recording (9 s to reach the end of one hour of 16 kHz Opus), and the level
 * strip and the panel's export run on the console's loop (figures:
 * tests/bench/bench_recseek.c). */
#ifndef CXM_RECSEEK_H
#define CXM_RECSEEK_H

#include <sndfile.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* sf_seek() lands exactly in files of this libsndfile format (major|sub). */
bool rec_seek_is_exact(int format);

/* `sf` was just opened for reading from `path` (it is at frame 0) and `info`
 * is what sf_open() filled. Positions it at frame k (0 <= k <= info->frames).
 * 0, or -1 (sf_strerror(sf) says why, or the file is shorter than k). */
int rec_seek_exact(SNDFILE *sf, const SF_INFO *info, const char *path, int64_t k);

/* For the tail buf[0, n) of an Ogg file: how many frames its last page ends
 * after the page before it that has a granule position (the difference of
 * the two). The pages are found from the end: each must have a right
 * checksum, end exactly where the next one starts (the last one at the end of
 * buf) and belong to the same stream. -1 when that cannot be shown. */
int64_t rec_ogg_last_page_span(const unsigned char *buf, size_t n);

#endif
