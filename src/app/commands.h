/* Subcommands of cxm-console (DESIGN §10). One file per command: cmd_NAME.c.
 * Each gets argv with argv[0] = the subcommand name and returns the exit code:
 * 0 ok, 1 failure, 2 usage, 3 partial (import: some lines rejected). */
#ifndef CXM_APP_COMMANDS_H
#define CXM_APP_COMMANDS_H

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_PARTIAL = 3, EXIT_NOT_COVERED = 4 };

int cmd_console(int argc, char **argv);  /* no subcommand: the TUI */
int cmd_import(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_kpi(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
int cmd_sample_size(int argc, char **argv);
int cmd_demo_day(int argc, char **argv); /* writes the demo day as JSON lines */
int cmd_clip(int argc, char **argv);      /* exit 4: the window is not wholly recorded */
int cmd_review(int argc, char **argv);   /* checklist of one incident; exit 5 stale */
int cmd_causes(int argc, char **argv);   /* the causes report (Pareto) */

/* Prints the top-level usage to f. */
void app_usage(void *f);

#endif
