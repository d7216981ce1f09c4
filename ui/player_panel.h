/* The player panel (DESIGN §6): what the event detail view shows under the
 * event, reusable by the checklist form. Times relative to the event
 * (−00:12 … +00:20), a position bar, the level strip (loudness from the
 * decoded samples, ASCII fallback) with the event's moment, A-B marks and
 * missing seconds, and the keys of the `player` context. */
#ifndef CXM_UI_PLAYER_PANEL_H
#define CXM_UI_PLAYER_PANEL_H

#include "ui.h"

typedef struct player_panel player_panel;

#define PLAYER_PANEL_ROWS 5

/* `dirty` is set whenever the panel needs drawing (player state changes). */
player_panel *player_panel_new(ui_app *app, bool *dirty);
void player_panel_free(player_panel *pp);
/* The event whose clips the panel plays (its main clip first); nothing plays
 * until the play key. */
void player_panel_set_event(player_panel *pp, const event *ev);
/* Starts the event's clip at once (the checklist form: the clip plays when
 * the form opens). Quiet when nothing can play: the panel's first row says
 * why. True when it started. */
bool player_panel_autoplay(player_panel *pp);
/* The playback position relative to the event's moment, in ms (negative:
 * before it); false while no clip of this panel is loaded. */
bool player_panel_position(player_panel *pp, int64_t *rel_ms);
/* Draws PLAYER_PANEL_ROWS rows from row y of w, cols wide. */
void player_panel_draw(player_panel *pp, WINDOW *w, int y, int cols);
/* A player-context action; UI_IGNORED for anything else. */
int player_panel_action(player_panel *pp, int action);

#endif
