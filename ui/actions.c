/* The action table, generated from actions.def. */
#include <string.h>

#include "ui.h"

static const ui_action_info actions[ACT_COUNT] = {
#define ACTION(id, name, keys, ctx, en, ru) {id, name, keys, ctx, en, ru},
#include "actions.def"
#undef ACTION
};

const ui_action_info *ui_action_get(ui_action a)
{
    return (unsigned)a < ACT_COUNT ? &actions[a] : NULL;
}

int ui_action_from_name(const char *name)
{
    for (int i = 0; i < ACT_COUNT; i++)
        if (!strcmp(actions[i].name, name))
            return i;
    return -1;
}
