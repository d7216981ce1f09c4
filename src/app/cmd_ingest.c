/* PLACEHOLDER until its owner lands it; must not survive to a release. */
#include <stdio.h>
#include "app/commands.h"
int cmd_ingest(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "cxm-console: %s: not built yet\n", argv[0]);
    return EXIT_FAIL;
}
