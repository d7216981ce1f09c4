/* What the checklist views (incident queue, form, causes report) share
 * inside ui/. */
#ifndef CXM_UI_VIEW_CHECKLIST_H
#define CXM_UI_VIEW_CHECKLIST_H

#include "cxm/checklist.h"
#include "cxm/incidents.h"
#include "ui.h"

/* The loaded definitions (read once, on first use; rejected files are
 * reported on the message line). Never NULL. */
const checklist_set *ui_checklists(void);
/* Says on the message line which definitions were rejected (if any). */
void ui_checklists_report(ui_app *app);
/* Frees them (at exit). */
void ui_checklists_free(void);
/* Bumped by every claim or save made in this process: our own writes do not
 * move the database's data_version, so views under the form reread when
 * this moved since they last read. */
unsigned ui_checklists_changes(void);
void ui_checklists_changed(void);
/* The OS user, cached. */
const char *ui_reviewer(void);

/* Claims the incident (a claim of another supervisor is shown, and the form
 * opens read-write anyway: claims are advisory) and pushes the form. */
void ui_form_open(ui_app *app, const char *event_id, const char *checklist_id);

void ui_incident_status_words(const incident *x, int64_t now_us, char *buf, size_t cap);
void ui_incident_what_words(const incident *x, char *buf, size_t cap);

ui_view *ui_queue_new(ui_app *app);
ui_view *ui_causes_new(ui_app *app);

#endif
