/* The audio player (DESIGN §6): one interface, two backends (libmpv, the
 * default, and libvlc), both driven from the one loop. Library threads only
 * call loop_notifier_notify; the player drains the library's events on the
 * loop's thread and keeps a status whose `changed` bits tell the UI what to
 * redraw (as cmus does). A clip is a rec_plan (desk recordings, played as one
 * seamless timeline from 0 to its length) or a URL. Every time here is
 * relative to the clip's start. */
#ifndef CXM_PLAYER_H
#define CXM_PLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/loop.h"
#include "cxm/recordings.h"

typedef enum { PLAYER_MPV, PLAYER_VLC, PLAYER_BACKEND_COUNT } player_backend;

#define PLAYER_SPEED_MIN 0.5
#define PLAYER_SPEED_MAX 2.0
#define PLAYER_AB_REPEATS 20 /* an A-B loop plays this many times, then goes on */

typedef struct {
    player_backend backend;
    /* Where the sound goes: NULL or "auto" the default device; "null" nowhere
     * (timed, for screen tests); "pcm:FILE" a WAV file of exactly what was
     * played, untimed (tests, benchmarks). */
    const char *output;
    const char *log_path; /* the library's own messages go here; NULL: dropped */
} player_opts;

typedef enum {
    PLAYER_IDLE,    /* nothing loaded */
    PLAYER_LOADING, /* opening; no audio yet */
    PLAYER_PLAYING,
    PLAYER_PAUSED,
    PLAYER_ENDED,   /* at the clip's end; a seek or replay goes on */
    PLAYER_FAILED   /* see error */
} player_state;

enum {
    PLAYER_CH_STATE = 1,
    PLAYER_CH_POS = 2,
    PLAYER_CH_SPEED = 4,
    PLAYER_CH_VOLUME = 8,
    PLAYER_CH_LOOP = 16,
    PLAYER_CH_MESSAGE = 32, /* error or warning changed */
};

typedef struct {
    player_state state;
    double pos_s, len_s;   /* within the clip */
    double speed;          /* 0.5 .. 2.0, pitch kept */
    int volume;            /* 0 .. 100 */
    double loop_a, loop_b; /* A-B marks, < 0 when unset */
    char error[256];       /* English, for the log; errcode for the UI */
    int errcode;           /* PLAYER_E_* when state == PLAYER_FAILED or a refusal */
    char warning[256];     /* what the backend could not do exactly, "" none */
    int http_status;       /* PLAYER_E_LINK: the link's HTTP answer (404...), 0 none came */
    unsigned changed;      /* PLAYER_CH_* since the last snapshot */
    int64_t load_us, first_audio_us; /* monotonic: load asked, first audio (benchmarks) */
} player_status;

enum {
    PLAYER_E_NONE,
    PLAYER_E_INIT,      /* the library could not start */
    PLAYER_E_OUTPUT,    /* no audio device / output failed */
    PLAYER_E_OPEN,      /* missing, unreadable or corrupt file; HTTP error */
    PLAYER_E_INEXACT,   /* the backend refuses: it cannot play this clip exactly */
    PLAYER_E_EMPTY,     /* nothing to play */
    PLAYER_E_LINK,      /* a clip link failed: http_status, or unreachable (0) */
};

/* What goes with a clip link's request (include/cxm/cliplink.h decides). */
typedef struct {
    const char *bearer;  /* "Authorization: Bearer …"; NULL none */
    const char *ca_file; /* https: verify against this CA; NULL the system's */
} player_http;

typedef struct player player;
typedef void (*player_change_cb)(void *ud);

/* Creates the player on the loop's thread. on_change runs on the loop's
 * thread whenever the status changed. NULL with err when the backend is not
 * built in or cannot start. */
player *player_new(loop *lp, const player_opts *o, player_change_cb on_change, void *ud,
                   char *err, size_t errlen);
void player_free(player *p);

/* Plays the plan's segments (files under root) as one timeline from 0, or a
 * URL when url != NULL (plan then ignored). Returns 0, or -1 when refused
 * (status.errcode/error say why). */
int player_load(player *p, const char *root, const rec_plan *plan, const char *url, bool paused);
/* Plays an http(s) clip link as the whole clip: TLS always verified, Range
 * requests for seeks; with h->bearer no redirect is followed (the token would
 * go along to wherever it points). h may be NULL. */
int player_load_url(player *p, const char *url, const player_http *h, bool paused);
void player_stop(player *p);
void player_toggle_pause(player *p);
void player_replay(player *p);
/* Seeks are exact and clamped to [0, len]. */
void player_seek(player *p, double pos_s);
void player_seek_by(player *p, double delta_s);
void player_set_speed(player *p, double speed); /* clamped to 0.5 .. 2.0 */
void player_set_volume(player *p, int volume);  /* clamped to 0 .. 100 */
/* A-B loop, in three presses: set A here, set B here (loops, bounded), clear. */
void player_ab_cycle(player *p);

/* Copies the status and clears its changed bits. */
void player_snapshot(player *p, player_status *out);
/* The status without clearing anything. */
const player_status *player_peek(const player *p);

const char *player_backend_name(player_backend b); /* "mpv", "vlc" */
int player_backend_from_name(const char *name);    /* -1 when unknown */
bool player_backend_available(player_backend b);

#endif
