/*
 * harness.h — the tiny in-tree test harness (libuv TEST_ENTRY style). Each tests/unit/test_*.c
 * includes it once and becomes its own binary: `build/tests/test_base` runs every test in the
 * file, `build/tests/test_base NAME...` runs only those. It prints one line per failure and ends
 * with "N passed, N failed, N skipped". Tests that need ../shared call th_shared(), which skips
 * with a message when the file is missing, or fails under CI=true.
 */
#ifndef XC_HARNESS_H
#define XC_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xcheck.h"

typedef void (*th_fn)(void);
static struct {
    const char *name;
    th_fn fn;
} th_tests[512];
static int th_count;
static int th_failed_now, th_skipped_now;
static const char *th_current;

static void th_register(const char *name, th_fn fn)
{
    if (th_count < 512) {
        th_tests[th_count].name = name;
        th_tests[th_count].fn = fn;
        th_count++;
    }
}

#define TEST(name)                                                             \
    static void name(void);                                                    \
    __attribute__((constructor)) static void th_reg_##name(void)               \
    {                                                                          \
        th_register(#name, name);                                              \
    }                                                                          \
    static void name(void)

#define TH_FAIL(...)                                                           \
    do {                                                                       \
        fprintf(stderr, "FAIL %s (%s:%d): ", th_current, __FILE__, __LINE__);  \
        fprintf(stderr, __VA_ARGS__);                                          \
        fprintf(stderr, "\n");                                                 \
        th_failed_now = 1;                                                     \
    } while (0)

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond))                                                           \
            TH_FAIL("%s", #cond);                                              \
    } while (0)

#define CHECK_INT(a, b)                                                        \
    do {                                                                       \
        long long th_a = (long long)(a), th_b = (long long)(b);                \
        if (th_a != th_b)                                                      \
            TH_FAIL("%s == %lld, expected %lld", #a, th_a, th_b);              \
    } while (0)

#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *th_a = (a), *th_b = (b);                                   \
        if (!th_a || !th_b || strcmp(th_a, th_b) != 0)                         \
            TH_FAIL("%s == \"%s\", expected \"%s\"", #a, th_a ? th_a : "(null)", \
                    th_b ? th_b : "(null)");                                   \
    } while (0)

#define CHECK_NEAR(a, b, eps)                                                  \
    do {                                                                       \
        double th_a = (a), th_b = (b);                                         \
        if (fabs(th_a - th_b) > (eps))                                         \
            TH_FAIL("%s == %.6f, expected %.6f (+-%g)", #a, th_a, th_b, (double)(eps)); \
    } while (0)

#define CHECK_CONTAINS(hay, needle)                                            \
    do {                                                                       \
        const char *th_h = (hay), *th_n = (needle);                            \
        if (!th_h || !strstr(th_h, th_n))                                      \
            TH_FAIL("%s does not contain \"%s\" (it is: %.300s)", #hay, th_n,  \
                    th_h ? th_h : "(null)");                                   \
    } while (0)

/* Marks the current test skipped with a reason and returns from it. */
#define SKIP(...)                                                              \
    do {                                                                       \
        fprintf(stderr, "SKIP %s: ", th_current);                              \
        fprintf(stderr, __VA_ARGS__);                                          \
        fprintf(stderr, "\n");                                                 \
        th_skipped_now = 1;                                                    \
        return;                                                                \
    } while (0)

/* Path of a file under the shared folder ($XCHECK_SHARED, default ../shared), in a static
 * buffer, or NULL when it does not exist (the caller then SKIPs; under CI=true that is a
 * failure, recorded here). */
__attribute__((unused)) static const char *th_shared(const char *rel)
{
    static char path[4096];
    const char *root = getenv("XCHECK_SHARED");
    if (!root || !*root)
        root = "../shared";
    /* Absolute, so that a test may link to the file from a temporary folder. */
    char *abs = realpath(root, NULL);
    snprintf(path, sizeof path, "%s/%s", abs ? abs : root, rel);
    free(abs);
    if (access(path, R_OK) == 0)
        return path;
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0)
        TH_FAIL("shared file missing under CI: %s", path);
    return NULL;
}

/* A temporary folder shared by a test file's tests (created on first use); th_tmp_path gives the
 * path of name inside it in a static buffer, th_tmp_cleanup removes the folder. */
static char th_tmp_dir[256];

__attribute__((unused)) static const char *th_tmp_path(const char *name)
{
    static char path[512];
    if (!th_tmp_dir[0]) {
        snprintf(th_tmp_dir, sizeof th_tmp_dir, "/tmp/xc_test_XXXXXX");
        if (!mkdtemp(th_tmp_dir))
            th_tmp_dir[0] = '\0';
    }
    snprintf(path, sizeof path, "%s/%s", th_tmp_dir, name);
    return path;
}

__attribute__((unused)) static void th_tmp_cleanup(void)
{
    if (th_tmp_dir[0]) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", th_tmp_dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", th_tmp_dir);
        th_tmp_dir[0] = '\0';
    }
}

/* A python3 that has openpyxl (the Debian module; a python3 earlier on PATH may lack it), or
 * NULL. For tests that write xlsx files. */
__attribute__((unused)) static const char *th_python_with_openpyxl(void)
{
    static const char *const candidates[] = {"/usr/bin/python3", "python3"};
    for (size_t i = 0; i < 2; i++) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "%s -c 'import openpyxl' >/dev/null 2>&1", candidates[i]);
        if (system(cmd) == 0)
            return candidates[i];
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int passed = 0, failed = 0, skipped = 0;
    for (int i = 0; i < th_count; i++) {
        if (argc > 1) {
            int wanted = 0;
            for (int k = 1; k < argc; k++)
                if (strcmp(argv[k], th_tests[i].name) == 0)
                    wanted = 1;
            if (!wanted)
                continue;
        }
        th_current = th_tests[i].name;
        th_failed_now = th_skipped_now = 0;
        th_tests[i].fn();
        if (th_failed_now)
            failed++;
        else if (th_skipped_now)
            skipped++;
        else
            passed++;
    }
    printf("%s: %d passed, %d failed, %d skipped\n", argv[0], passed, failed, skipped);
    return failed ? 1 : 0;
}

/* Opens an engine over paths (snapshot_dir may be NULL); prints why on failure and returns NULL.
 * Shared by the tests that load real or sample list files. */
__attribute__((unused)) static xc_engine *th_open_paths(const char *const *paths,
                                                         const char *snapshot_dir)
{
    xc_config cfg = {0};
    cfg.data_paths = paths;
    cfg.snapshot_dir = snapshot_dir;
    xc_error err = {0};
    xc_engine *eng = xc_engine_open(&cfg, &err);
    if (!eng)
        fprintf(stderr, "open: %s\n", err.message);
    return eng;
}

#endif /* XC_HARNESS_H */
