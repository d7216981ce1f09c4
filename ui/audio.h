/* The console's one player (DESIGN §6): created at the first play, shared by
 * the detail view's panel and the "play now" key of the lists. While it
 * exists, fd 2 points at the audio log so that mpv/ALSA/VLC chatter can never
 * reach the screen. Internal to ui/. */
#ifndef CXM_UI_AUDIO_H
#define CXM_UI_AUDIO_H

#include <stdbool.h>

#include "cxm/clips.h"
#include "cxm/levels.h"
#include "cxm/player.h"
#include "cxm/recordings.h"
#include "ui.h"

/* One clip made ready to play: the window, its recordings, the URL. */
typedef struct {
    char event_id[EVENT_ID_MAX + 1];
    int64_t event_us;
    clip_window w;
    char url[512];          /* the http(s) clip link to play instead of the
                             * recordings, which lack part of the window ("" none) */
    rec_list files;
    rec_plan plan;          /* segments; gaps are skipped when playing */
    bool have_plan;         /* false when the link plays */
    rec_levels lv;          /* the level strip, when computed */
    char problem[512];      /* why it cannot play (translated), "" = it can */
} ui_clip;

/* Prepares ev's clip of kind k (k < 0: the main clip). Fills problem when
 * nothing can be played. Always ui_clip_free() after. */
void ui_clip_prepare(ui_app *app, const event *ev, int k, ui_clip *c);
void ui_clip_free(ui_clip *c);
/* The window time (UTC us) of a player position, skipping the gaps. */
int64_t ui_clip_window_time(const ui_clip *c, double pos_s);
/* The player position of a window time (in a gap: the next recorded one). */
double ui_clip_player_pos(const ui_clip *c, int64_t t_us);

/* The player, created on first use (NULL: a message was shown). */
player *ui_audio_player(ui_app *app);
/* Who redraws when the player's status changes (one listener: the panel on
 * screen). */
void ui_audio_listen(void (*cb)(void *ud), void *ud);
/* Plays a prepared clip; returns 0 or -1 (message shown). */
int ui_audio_play(ui_app *app, const ui_clip *c);
/* Plays the event's main clip at once (the lists' play key). */
void ui_audio_play_event(ui_app *app, const char *event_id);
/* Whether the player is busy with exactly this clip (the lists' play key
 * loaded it): a panel opened on it takes it over instead of restarting it. */
bool ui_audio_adopt(const ui_clip *c);
/* A failure or warning as the UI says it, in the UI language. */
void ui_audio_describe(const player_status *st, char *out, size_t cap);
/* Sound plays on this host, not the user's: SSH_CONNECTION without PULSE_SERVER. */
bool ui_audio_remote(void);
/* Frees the player and gives fd 2 back (at the console's end). */
void ui_audio_shutdown(void);

#endif
