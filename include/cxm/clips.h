/* Clip windows (DESIGN §6): the one place that decides which stretch of a
 * desk's recording belongs to an event. Used by the detail view, the player
 * and `cxm-console clip`. Pure: the caller supplies what the store knows about
 * the event's visit. */
#ifndef CXM_CLIPS_H
#define CXM_CLIPS_H

#include <stdint.h>

#include "cxm/config.h"
#include "cxm/event.h"

/* Default lengths; config_defaults() copies them, [clips] overrides them. */
#define CLIP_DEFAULT_AFTER_RATING_S 20
#define CLIP_DEFAULT_BEFORE_RED_S 60
#define CLIP_DEFAULT_AROUND_S 30

typedef enum { CLIP_AFTER_RATING, CLIP_BEFORE_RED, CLIP_VISIT, CLIP_AROUND, CLIP_KIND_COUNT } clip_kind;

typedef struct {
    clip_kind kind;
    int64_t from_us, to_us; /* UTC microseconds, from < to */
} clip_window;

/* What the store knows about the event's visit; -1 = unknown. */
typedef struct {
    int64_t arrival_us; /* the visit's arrival */
    int64_t end_us;     /* its rating or silent (the event's own ts for a rating/silent) */
} clip_visit;

/* "after_rating", "before_red_button", "visit", "around". */
const char *clip_kind_name(clip_kind k);
int clip_kind_from_name(const char *name); /* -1 when unknown */

/* The main clip of an event type: after_rating for a rating, before_red_button
 * for a red button, around otherwise. */
clip_kind clip_main_kind(event_type t);

/* One window; 0 written, -1 when the kind does not apply to this event
 * (after_rating of a non-rating, a visit without both ends, around of an
 * event with no desk). cfg may be NULL (defaults); visit may be NULL. */
int clip_window_of(const cxm_config *cfg, const event *ev, const clip_visit *visit, clip_kind k,
                   clip_window *out);

/* Every window that applies, in kind order. Returns how many (<= max). */
int clip_windows(const cxm_config *cfg, const event *ev, const clip_visit *visit, clip_window *out,
                 int max);

#endif
