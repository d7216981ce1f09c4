/* cxm-console: the CLI dispatcher. The TUI and every subcommand are front ends
 * over the same core (src/core, src/store, src/feed). */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "app/commands.h"
#include "cxm/i18n.h"
#include "cxm/text.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"import", cmd_import},     {"ingest", cmd_ingest},           {"kpi", cmd_kpi},
    {"alerts", cmd_alerts},     {"sample-size", cmd_sample_size}, {"demo-day", cmd_demo_day},
    {"clip", cmd_clip},
    {"review", cmd_review},
    {"causes", cmd_causes},
};

void app_usage(void *fp)
{
    FILE *f = fp;
    fputs("usage: cxm-console [--demo] [--config FILE] [--db FILE] [--theme NAME] [--lang ru|en] "
          "[SOURCES]\n"
          "       cxm-console import [--db FILE] FILE...        JSON lines, '-' = stdin\n"
          "       cxm-console ingest [--db FILE] [--config FILE] [SOURCES]\n"
          "       cxm-console kpi    [--db FILE] [--from T] [--to T] "
          "[--by employee|desk|location|day|all]\n"
          "                          [--silent-k K] [--format table|json|csv]\n"
          "       cxm-console alerts [--db FILE] [--state open|all] [--format ...]\n"
          "       cxm-console clip   [--db FILE] [--config FILE] [--recordings DIR] EVENT_ID\n"
          "                          [--kind after_rating|before_red_button|visit|around] --out FILE.wav\n"
          "       cxm-console review EVENT_ID [--db FILE] [--checklist ID] [--cause ITEM]... "
          "[--primary ITEM]\n"
          "                          [--comment TEXT] [--needs-info] [--no-cause] [--done] "
          "[--expect-revision N]\n"
          "       cxm-console review show EVENT_ID [--db FILE] [--checklist ID] "
          "[--format table|json]\n"
          "       cxm-console causes [--db FILE] [--from T] [--to T] "
          "[--by all|location|desk|employee]\n"
          "                          [--checklist ID] [--format table|json|csv] [--excel]\n"
          "       cxm-console sample-size --population N [--confidence 0.95] [--error 0.05]\n"
          "       cxm-console demo-day [--seed N] [--date YYYY-MM-DD]   the demo day as JSON lines\n"
          "       cxm-console --help | --version\n"
          "SOURCES (each may repeat; they add to the config's sources):\n"
          "  --agent PATH|URL   SSE over a Unix socket path, or http(s)://host:port/events\n"
          "  --agent-log FILE   tail a JSON-lines log\n"
          "  --cloud URL        SSE over HTTPS\n"
          "  --token-file FILE  bearer token for --cloud (refused if group/world readable)\n"
          "  --ca-file FILE     extra CA for --cloud/--agent https\n"
          "  --recordings DIR   recordings root\n"
          "Times T are RFC 3339 or YYYY-MM-DD (local midnight). See cxm-console(1).\n",
          f);
}

int main(int argc, char **argv)
{
    /* libmpv refuses to start unless LC_NUMERIC is "C"; it also keeps strtod
     * and printf of ratios locale-independent (DESIGN §13). */
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    text_init();
    /* Everything the CLI prints follows the locale, as the console does;
     * commands with --lang override it. */
    i18n_set_lang(i18n_lang_from_env());

    if (argc >= 2) {
        if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
            app_usage(stdout);
            return EXIT_OK;
        }
        if (!strcmp(argv[1], "--version")) {
            printf("cxm-console %s\n", CXM_VERSION);
            return EXIT_OK;
        }
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
            if (!strcmp(argv[1], commands[i].name))
                return commands[i].run(argc - 1, argv + 1);
    }
    return cmd_console(argc, argv);
}
