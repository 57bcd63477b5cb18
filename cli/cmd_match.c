/*
 * cmd_match.c — `xcheck match NAME1 NAME2 [--kind K]` prints the score and its explanation;
 * `xcheck match --input PAIRS.csv [--output FILE]` writes one JSON line per pair (columns
 * name1, name2, optional kind) in input order with score and band. --scorer ofac gives the score
 * OFAC's Sanctions List Search shows instead of xcheck's.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"

static int usage(void)
{
    fprintf(stderr, "usage: xcheck match NAME1 NAME2 [--kind person|org|vessel|aircraft] [--json]\n"
                    "       xcheck match --input PAIRS.csv [--output FILE]\n"
                    "       either form: [--scorer xcheck|ofac]\n");
    return 2;
}

static int match_file(xc_engine *eng, const char *input, const char *output, const char *scorer)
{
    FILE *in = strcmp(input, "-") == 0 ? stdin : fopen(input, "r");
    if (!in) {
        fprintf(stderr, "xcheck match: cannot open %s\n", input);
        return 1;
    }
    FILE *out = output ? fopen(output, "w") : stdout;
    if (!out) {
        fprintf(stderr, "xcheck match: cannot write %s\n", output);
        if (in != stdin)
            fclose(in);
        return 1;
    }
    cli_csv csv, header;
    cli_csv_init(&header, in);
    int rc = 0;
    if (cli_csv_next(&header) != 1) {
        fprintf(stderr, "xcheck match: %s: no header row\n", input);
        rc = 1;
    }
    int c1 = rc ? -1 : cli_csv_column(&header, "name1");
    int c2 = rc ? -1 : cli_csv_column(&header, "name2");
    int ck = rc ? -1 : cli_csv_column(&header, "kind");
    if (!rc && (c1 < 0 || c2 < 0)) {
        fprintf(stderr, "xcheck match: %s: columns name1 and name2 are required\n", input);
        rc = 1;
    }
    cli_csv_init(&csv, in);
    csv.line = header.line;
    int r;
    while (!rc && (r = cli_csv_next(&csv)) != 0) {
        if (r < 0) {
            fprintf(stderr, "xcheck match: %s %s (skipped)\n", input, csv.error);
            fprintf(out, "{\"line\":%ld,\"error\":\"malformed row\"}\n", csv.line);
            continue;
        }
        xc_match_opts mopts = {XC_KIND_ANY, scorer};
        if (ck >= 0 && ck < csv.nfields)
            xc_kind_parse(csv.fields[ck], &mopts.kind);
        const char *a = c1 < csv.nfields ? csv.fields[c1] : "";
        const char *b = c2 < csv.nfields ? csv.fields[c2] : "";
        double score;
        char *json = NULL;
        xc_error err = {0};
        if (xc_match_names_opts(eng, a, b, &mopts, &score, &json, &err) != XC_OK) {
            fprintf(out, "{\"line\":%ld,\"error\":\"%s\"}\n", csv.line, xc_status_name(err.code));
            continue;
        }
        fprintf(out, "%s\n", json);
        xc_free(json);
    }
    cli_csv_free(&csv);
    cli_csv_free(&header);
    if (in != stdin)
        fclose(in);
    if (out != stdout)
        fclose(out);
    return rc;
}

int cmd_match(int argc, char **argv)
{
    const char *names[2] = {NULL, NULL};
    const char *input = NULL, *output = NULL, *scorer = NULL;
    int nnames = 0;
    bool json = false;
    xc_kind kind = XC_KIND_ANY;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
            if (xc_kind_parse(argv[++i], &kind) != XC_OK) {
                fprintf(stderr, "xcheck match: --kind: unknown kind '%s'\n", argv[i]);
                return 2;
            }
        } else if (strcmp(argv[i], "--scorer") == 0 && i + 1 < argc) {
            scorer = argv[++i];
            if (strcmp(scorer, "xcheck") != 0 && strcmp(scorer, "ofac") != 0) {
                fprintf(stderr, "xcheck match: --scorer: 'xcheck' or 'ofac' expected\n");
                return 2;
            }
        } else if (strcmp(argv[i], "--input") == 0 && i + 1 < argc) {
            input = argv[++i];
        } else if (strcmp(argv[i], "--output") == 0 && i + 1 < argc) {
            output = argv[++i];
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--help") == 0) {
            usage();
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage();
        } else if (nnames < 2) {
            names[nnames++] = argv[i];
        } else {
            return usage();
        }
    }
    if (!input && nnames != 2)
        return usage();
    xc_config cfg = {0};
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng)
        return cli_fail(&err);
    int rc = 0;
    if (input) {
        rc = match_file(eng, input, output, scorer);
    } else {
        double score;
        char *out = NULL;
        xc_match_opts mopts = {kind, scorer};
        if (xc_match_names_opts(eng, names[0], names[1], &mopts, &score, &out, &err) != XC_OK) {
            rc = cli_fail(&err);
        } else if (json) {
            printf("%s\n", out);
        } else {
            printf("score %.4f  %s\n", score,
                   score >= XC_BAND_STRONG     ? "strong"
                   : score >= XC_BAND_POSSIBLE ? "possible"
                                               : "(below alert threshold)");
            printf("%s\n", out);
        }
        xc_free(out);
    }
    xc_engine_close(eng);
    return rc;
}
