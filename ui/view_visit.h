/* The events of one visit (same location and visit id), pushed from an
 * event's detail with `v`: a table, oldest first, the event it came from
 * selected; Enter opens one's detail. */
#ifndef CXM_UI_VIEW_VISIT_H
#define CXM_UI_VIEW_VISIT_H

#include "ui.h"

ui_view *ui_visit_new(ui_app *app, const char *location_id, const char *visit, const char *from_id);

#endif
