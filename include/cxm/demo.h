/* The demo generator: a realistic day at a clinic front desk and a petrol
 * station, deterministic from a seed. A source that yields events in time
 * order, so the live demo and the file writer share it. */
#ifndef CXM_DEMO_H
#define CXM_DEMO_H

#include <stdint.h>

#include "cxm/event.h"

typedef struct demo demo;

/* day_start_us: local midnight of the day to generate. */
demo *demo_new(uint64_t seed, int64_t day_start_us);
void demo_free(demo *d);
/* Fills *out with the next event (ts ascending) and returns 1; 0 when the day
 * is over. The caller event_clear()s *out. */
int demo_next(demo *d, event *out);

#endif
