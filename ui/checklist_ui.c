/* Shared state of the checklist views (view_checklist.h): the definitions,
 * loaded once per console, and a counter of our own checklist writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/review.h"
#include "ui.h"
#include "view_checklist.h"

static checklist_set defs;
static bool loaded;
static unsigned changes;
static char reviewer[REVIEW_USER_MAX + 1];

const checklist_set *ui_checklists(void)
{
    if (!loaded) {
        loaded = true;
        if (checklist_load_default(&defs) != 0)
            checklist_set_free(&defs);
    }
    return &defs;
}

/* The message line holds one message: report the first bad definition and
 * how many there were (the CLI prints them all). */
void ui_checklists_report(ui_app *app)
{
    const checklist_set *s = ui_checklists();
    if (s->nerrors == 1)
        ui_message(app, UI_MSG_ERROR, _("Checklist skipped: %s"), s->errors[0]);
    else if (s->nerrors > 1)
        ui_message(app, UI_MSG_ERROR, _("%zu checklists skipped, the first: %s"), s->nerrors,
                   s->errors[0]);
}

void ui_checklists_free(void)
{
    checklist_set_free(&defs);
    loaded = false;
}

unsigned ui_checklists_changes(void)
{
    return changes;
}

void ui_checklists_changed(void)
{
    changes++;
}

const char *ui_reviewer(void)
{
    if (!reviewer[0])
        review_os_user(reviewer, sizeof reviewer);
    return reviewer;
}
