/* The demo generator: a realistic day at a clinic front desk and a petrol
 * station, deterministic from a seed. A source that yields events in time
 * order, so the live demo and the file writer share it. */
#ifndef CXM_DEMO_H
#define CXM_DEMO_H

#include <stdint.h>

#include "cxm/event.h"

typedef struct demo demo;

/* day_start_us: local midnight of the day to generate. The day's date is part
 * of every event id, so consecutive days of one seed never collide. Sites:
 * "clinic-1" (desks reg-1..reg-3, open 08-20) and "station-7" (till-1, till-2,
 * open 07-23); 7 or 8 of the 8 employees work on a given day. NULL on ENOMEM. */
demo *demo_new(uint64_t seed, int64_t day_start_us);
void demo_free(demo *d);
/* Fills *out with the next event (ts ascending) and returns 1; 0 when the day
 * is over; -1 on allocation failure (*out cleared, retry possible).
 * The caller event_clear()s *out. */
int demo_next(demo *d, event *out);

#endif
