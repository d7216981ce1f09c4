/* What the views of the dashboard/stream/detail/KPI files offer one another
 * (internal to ui/). */
#ifndef CXM_UI_VIEWS_UI_H
#define CXM_UI_VIEWS_UI_H

#include "cxm/alerts.h"
#include "ui.h"

/* Switches to the stream showing only this employee's events (the card's
 * key); the filter line names them by `name` ("" or NULL: the id). */
void ui_stream_focus_employee(ui_app *app, const char *employee_id, const char *name);

/* The employee card (ui/view_card.c): a new view, or ui_card_open, which
 * pushes it and says so when the row has no employee. */
ui_view *ui_card_new(ui_app *app, const char *employee_id);
void ui_card_open(ui_app *app, const char *employee_id);

/* The events of one alert (ui/view_alerts.c), as Enter on an alert opens. */
ui_view *ui_alert_events_new(ui_app *app, int64_t alert_id);

/* Shared wording: a translated event type name ("rating", "red button"). */
const char *ui_event_type_word(event_type t);
/* A rating value in the UI language ("super" -> "супер"); unknown values as is. */
const char *ui_rating_word(const char *value);
/* Smiley for a rating polarity: ☺ 😐 ☹ in UTF-8, :) :| :( otherwise. */
const char *ui_smiley(rating_polarity p);
/* Short emotion label that fits a narrow column ("позит."). */
const char *ui_emo_short(emo_label l);

/* An alert's state in the UI language (the alerts views and the card). */
const char *ui_alert_state_word(alert_state st);

#endif
