/*
 * prog.c — a front end of the installed library, built by tests/golden/run-install.sh with
 * `pkg-config --cflags --libs xcheck` only: opens an engine on the list folder given, screens
 * a name and checks the best match's list and entity. Prints "ok" or what differed; exit 0 on ok.
 * Usage: prog LIST_DIR NAME WANT_LIST WANT_ENTITY_ID
 */
#include <stdio.h>
#include <string.h>
#include <xcheck.h>

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: prog LIST_DIR NAME WANT_LIST WANT_ENTITY_ID\n");
        return 2;
    }
    const char *paths[] = {argv[1], NULL};
    xc_config cfg = {0};
    cfg.data_paths = paths;
    cfg.sample = 1;
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng) {
        printf("open: %s (%s)\n", err.message, xc_status_name(err.code));
        return 1;
    }
    xc_party party = {.name = argv[2], .kind = XC_KIND_ANY};
    xc_screen_opts opts = {0};
    xc_result *res = NULL;
    int rc = 1;
    if (xc_screen(eng, &party, &opts, &res, &err) != XC_OK) {
        printf("screen: %s (%s)\n", err.message, xc_status_name(err.code));
    } else if (xc_result_count(res) == 0) {
        printf("screen: no match for %s\n", argv[2]);
    } else {
        const xc_match *m = xc_result_match(res, 0);
        if (strcmp(m->list, argv[3]) == 0 && strcmp(m->entity_id, argv[4]) == 0 &&
            m->score >= XC_BAND_POSSIBLE && m->pair_count > 0) {
            printf("ok %s %s %.3f %s\n", m->list, m->entity_id, m->score, m->band);
            rc = 0;
        } else {
            printf("screen: best match %s %s %.3f, want %s %s\n", m->list, m->entity_id,
                   m->score, argv[3], argv[4]);
        }
    }
    xc_result_free(res);
    xc_engine_close(eng);
    return rc;
}
