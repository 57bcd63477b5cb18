/*
 * cli.h — the xcheck command's verbs, one file each (cli/cmd_<verb>.c). Each takes the verb's
 * own argv (argv[0] is the verb) and returns the process exit code: 0 success, 1 failure of
 * the work, 2 usage error. Verbs include only xcheck.h and this header.
 */
#ifndef XC_CLI_H
#define XC_CLI_H

#include <stdio.h>

#include "xcheck.h"

int cmd_screen(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_lists(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_decide(int argc, char **argv);
int cmd_groups(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
int cmd_parties(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_rescreen(int argc, char **argv);
int cmd_serve(int argc, char **argv);
/* Store helpers for the verbs above (cmd_audit.c): opens --db PATH or the default store,
 * printing the error and returning NULL on failure; writes s as a JSON string literal. */
xc_store *cli_store_open(const char *db_path);
void cli_json_str(FILE *out, const char *s);

/* Prints "xcheck: <message>" to stderr; returns 1. */
int cli_fail(const xc_error *err);

#endif /* XC_CLI_H */
