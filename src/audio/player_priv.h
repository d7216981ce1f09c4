/* Between the player front (player.c) and its backends (player_mpv.c,
 * player_vlc.c). Everything here runs on the loop's thread. */
#ifndef CXM_PLAYER_PRIV_H
#define CXM_PLAYER_PRIV_H

#include "cxm/player.h"

/* One stretch of one file (or the whole URL), in the file's own seconds. */
typedef struct {
    char *path;            /* full path or URL */
    double start_s, end_s; /* end_s < 0: to the end */
    int64_t from_frame, to_frame; /* the same stretch in frames (not for a URL) */
    int format;            /* SF_FORMAT_*; 0 for a URL */
    int rate, channels;
} player_item;

typedef struct {
    player_item *items;
    size_t n;
    bool is_url;
    double len_s; /* the clip's length; 0 when unknown (URL before loading) */
    char *bearer, *ca_file; /* a URL's request: see player_http */
} player_timeline;

typedef struct player_ops {
    int (*open)(player *p, const player_opts *o, char *err, size_t errlen);
    void (*close)(player *p);
    int (*load)(player *p, bool paused); /* p->tl is set; -1 refused (status says why) */
    void (*stop)(player *p);
    void (*set_pause)(player *p, bool pause);
    void (*seek)(player *p, double clip_s);
    void (*set_speed)(player *p, double speed);
    void (*set_volume)(player *p, int volume);
    void (*set_loop)(player *p, double a, double b); /* a < 0: none */
    void (*drain)(player *p);                        /* the notifier fired */
} player_ops;

struct player {
    const player_ops *ops;
    void *impl;
    loop *lp;
    loop_notifier *nt;
    player_change_cb cb;
    void *ud;
    player_status st;
    player_timeline tl;
    bool loading;
};

extern const player_ops player_mpv_ops;
extern const player_ops player_vlc_ops;

/* For the backends: record a change (the front calls on_change after). */
void player_set_state(player *p, player_state s);
void player_set_pos(player *p, double pos_s);
void player_fail(player *p, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void player_warn(player *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void player_first_audio(player *p);
/* Raises the notifier from the library's thread (backends hand this out). */
void player_wake(void *p);

#endif
