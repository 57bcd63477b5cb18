/*
 * ofac_parity.h — measures the OFAC-parity scorer against the scores recorded from OFAC's own
 * Sanctions List Search (nomenklatura's tests/matching/name_based/ofac_fixtures.csv, read from
 * ../shared at run time). Shared by tests/unit/test_ofac.c (which asserts the share) and
 * bench/bench_ofac.c (which prints it).
 *
 * A row is "within" when xcheck's score, in whole points, is within 5 of OFAC's; a row recorded
 * as -1 (the name did not come up with OFAC's slider at 80) is within when xcheck's score is
 * under 80. The development half, on which the scorer's constants were set, is every other row
 * (0, 2, 4, ... counting data rows from 0); the test half is the rest.
 */
#ifndef XC_OFAC_PARITY_H
#define XC_OFAC_PARITY_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lists/csv.h"
#include "xcheck.h"

typedef struct ofac_parity {
    int rows[2];      /* dev, test */
    int within[2];
    int exact[2];     /* rows with a recorded score reproduced to the point */
    double abs_err[2]; /* sum of |difference| over rows with a recorded score */
    int scored[2];
} ofac_parity;

/* Returns 0 and fills out, or -1 with a message on stderr. verbose prints the rows not within. */
static int ofac_parity_run(const xc_engine *eng, const char *path, bool verbose, ofac_parity *out)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ofac parity: cannot open %s\n", path);
        return -1;
    }
    xc__csv *csv = xc__csv_open_file(f, NULL);
    int row = -1, rc = 0; /* data rows counted from 0; -1 while reading the header */
    xc_match_opts opts = {XC_KIND_ANY, "ofac"};
    while (csv && rc == 0 && xc__csv_next(csv) == XC_OK) {
        if (row++ < 0)
            continue; /* header: query_name,result_name,ofac_score */
        int half = (row - 1) % 2; /* this data row is number row - 1 */
        size_t len;
        if (xc__csv_count(csv) < 3) {
            fprintf(stderr, "ofac parity: %s line %zu: 3 fields expected\n", path,
                    xc__csv_line(csv));
            rc = -1;
            break;
        }
        const char *query = xc__csv_field(csv, 0, &len);
        const char *listed = xc__csv_field(csv, 1, &len);
        char *end;
        long recorded = strtol(xc__csv_field(csv, 2, &len), &end, 10);
        double score = 0;
        xc_error err = {0};
        if (*end || xc_match_names_opts(eng, query, listed, &opts, &score, NULL, &err) != XC_OK) {
            fprintf(stderr, "ofac parity: %s line %zu: %s\n", path, xc__csv_line(csv),
                    *end ? "bad ofac_score" : err.message);
            rc = -1;
            break;
        }
        int points = (int)floor(score * 100.0 + 0.5);
        bool ok = recorded < 0 ? points < 80 : labs(points - recorded) <= 5;
        out->rows[half]++;
        out->within[half] += ok;
        if (recorded >= 0) {
            out->scored[half]++;
            out->exact[half] += points == recorded;
            out->abs_err[half] += fabs((double)(points - recorded));
        }
        if (verbose && !ok)
            printf("  off by more than 5 (%s half): %s | %s: OFAC %ld, xcheck %d\n",
                   half ? "test" : "dev", query, listed, recorded, points);
    }
    if (!csv)
        rc = -1;
    xc__csv_close(csv);
    fclose(f);
    return rc;
}

static double ofac_parity_share(const ofac_parity *p, int half)
{
    if (half < 0) {
        int rows = p->rows[0] + p->rows[1];
        return rows ? (double)(p->within[0] + p->within[1]) / rows : 0.0;
    }
    return p->rows[half] ? (double)p->within[half] / p->rows[half] : 0.0;
}

#endif /* XC_OFAC_PARITY_H */
