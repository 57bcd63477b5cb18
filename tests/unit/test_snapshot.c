/*
 * test_snapshot.c — the engine snapshot: an engine mapped from a snapshot answers exactly as
 * one parsed from the files; damaged, foreign, stale and forged snapshots are detected and
 * rebuilt, never trusted; an unwritable cache folder costs only the speed.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "harness.h"
#include "snapshot/snapshot.h"
#include "xcheck.h"

static char tmp_root[256];

/* A fresh folder under the test's temporary root; the string lives until the process ends. */
static const char *tmpdir(const char *leaf)
{
    static char paths[32][512];
    static int used;
    char *path = paths[used++ % 32];
    if (!tmp_root[0]) {
        snprintf(tmp_root, sizeof tmp_root, "/tmp/xc-snap-XXXXXX");
        if (!mkdtemp(tmp_root))
            return NULL;
    }
    snprintf(path, sizeof paths[0], "%s/%s", tmp_root, leaf);
    mkdir(path, 0700);
    return path;
}

/* JSON answer for a name, for comparing engines; caller frees. */
static char *answer(const xc_engine *eng, const char *name, const char *country)
{
    xc_party party = {0};
    party.name = name;
    party.country = country;
    xc_screen_opts opts = {0};
    opts.threshold = 0.7;
    xc_result *res = NULL;
    if (xc_screen(eng, &party, &opts, &res, NULL) != XC_OK)
        return NULL;
    char *json = xc_result_json(res);
    xc_result_free(res);
    return json;
}

static void same_answers(const xc_engine *a, const xc_engine *b, const char *const *names,
                         size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char *ja = answer(a, names[i], NULL), *jb = answer(b, names[i], NULL);
        CHECK(ja && jb);
        if (ja && jb && strcmp(ja, jb) != 0)
            TH_FAIL("answers differ for %s:\n%.400s\n%.400s", names[i], ja, jb);
        xc_free(ja);
        xc_free(jb);
    }
    CHECK_INT(xc_engine_list_count(a), xc_engine_list_count(b));
    for (size_t i = 0; i < xc_engine_list_count(a); i++) {
        const xc_list_info *x = xc_engine_list(a, i), *y = xc_engine_list(b, i);
        CHECK_STR(x->id, y->id);
        CHECK_STR(x->sha256, y->sha256);
        CHECK_STR(x->version, y->version);
        CHECK_INT(x->entities, y->entities);
        CHECK_INT(x->names, y->names);
        CHECK_INT(x->rows_skipped, y->rows_skipped);
        for (size_t k = 0; x->issues[k] || y->issues[k]; k++)
            CHECK_STR(x->issues[k], y->issues[k]);
    }
}

static const char *const sample_names[] = {
    "Kim Jong Un", "김정은", "金正恩", "Владимир Путин", "BANCO NACIONAL DE CUBA",
    "Aerocaribbean Airlines", "Mohammed Ali", "Jon Smith", "Rosoboronexport", "ХАМАС",
};

TEST(snapshot_answers_like_the_files)
{
    const char *paths[] = {"data/samples", NULL};
    const char *dir = tmpdir("same");
    xc_engine *plain = th_open_paths(paths, NULL);
    xc_engine *first = th_open_paths(paths, dir);
    xc_engine *second = th_open_paths(paths, dir);
    CHECK(plain && first && second);
    if (!plain || !first || !second)
        goto out;
    CHECK_INT(xc_engine_snapshot(plain)->state, XC_SNAPSHOT_NONE);
    CHECK_INT(xc_engine_snapshot(first)->state, XC_SNAPSHOT_WRITTEN);
    CHECK_STR(xc_engine_snapshot(first)->note, "no snapshot yet");
    CHECK_INT(xc_engine_snapshot(second)->state, XC_SNAPSHOT_LOADED);
    CHECK_STR(xc_engine_snapshot(second)->path, xc_engine_snapshot(first)->path);
    same_answers(plain, second, sample_names, XC__ARRAY_LEN(sample_names));
    same_answers(first, second, sample_names, XC__ARRAY_LEN(sample_names));
    /* a hit is a hit: the sample's KIM Jong Un is found through the snapshot */
    char *json = answer(second, "김정은", "KP");
    CHECK_CONTAINS(json, "KIM");
    xc_free(json);
out:
    xc_engine_close(plain);
    xc_engine_close(first);
    xc_engine_close(second);
}

/* Path of the snapshot the engine would use for paths in dir (written by opening once). */
static void snapshot_path(const char *const *paths, const char *dir, char *out, size_t size)
{
    xc_engine *eng = th_open_paths(paths, dir);
    snprintf(out, size, "%s", eng && xc_engine_snapshot(eng)->path ? xc_engine_snapshot(eng)->path : "");
    xc_engine_close(eng);
}

static size_t read_file(const char *path, char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *out = malloc((size_t)n + 1);
    size_t got = fread(*out, 1, (size_t)n, f);
    fclose(f);
    return got;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(data, 1, len, f);
    fclose(f);
}

/* Opens again and expects a rebuild whose note contains why. */
static void expect_rebuilt(const char *const *paths, const char *dir, const char *why)
{
    xc_engine *eng = th_open_paths(paths, dir);
    CHECK(eng != NULL);
    if (!eng)
        return;
    CHECK_INT(xc_engine_snapshot(eng)->state, XC_SNAPSHOT_WRITTEN);
    CHECK_CONTAINS(xc_engine_snapshot(eng)->note, why);
    /* and the rebuilt engine still answers */
    char *json = answer(eng, "Kim Jong Un", NULL);
    CHECK_CONTAINS(json, "KIM");
    xc_free(json);
    xc_engine_close(eng);
    eng = th_open_paths(paths, dir); /* the rewritten snapshot is good again */
    CHECK(eng && xc_engine_snapshot(eng)->state == XC_SNAPSHOT_LOADED);
    xc_engine_close(eng);
}

TEST(snapshot_damage_is_detected)
{
    const char *paths[] = {"data/samples", NULL};
    const char *dir = tmpdir("damage");
    char path[1024];
    snapshot_path(paths, dir, path, sizeof path);
    CHECK(path[0] != '\0');
    char *data;
    size_t len = read_file(path, &data);
    CHECK(len > 8192);
    if (len <= 8192) {
        free(data);
        return;
    }
    /* one flipped bit in the middle (strings or structures) */
    data[len / 2] ^= 0x10;
    write_file(path, data, len);
    expect_rebuilt(paths, dir, "checksum mismatch");
    data[len / 2] ^= 0x10;
    /* a flipped bit in the relocation table (the file's last bytes) */
    data[len - 3] ^= 0x01;
    write_file(path, data, len);
    expect_rebuilt(paths, dir, "checksum mismatch");
    data[len - 3] ^= 0x01;
    /* truncated */
    write_file(path, data, len - 100);
    expect_rebuilt(paths, dir, "size differs");
    /* shorter than a header, and not a snapshot at all */
    write_file(path, "hello", 5);
    expect_rebuilt(paths, dir, "too short");
    memset(data, 'x', 16);
    write_file(path, data, len);
    expect_rebuilt(paths, dir, "not an xcheck snapshot");
    free(data);
}

TEST(snapshot_forged_checksum_is_still_checked)
{
    /* A snapshot with a valid checksum but another build id (or pointers leading outside the
     * image) is refused: the checksum is not the only guard. */
    const char *paths[] = {"data/samples", NULL};
    const char *dir = tmpdir("forged");
    char path[1024];
    snapshot_path(paths, dir, path, sizeof path);
    char *data;
    size_t len = read_file(path, &data);
    CHECK(len > 8192);
    if (len <= 8192) {
        free(data);
        return;
    }
    size_t at = xc__snapshot_build_id_offset();
    data[at] = data[at] == 'f' ? '0' : 'f';
    uint64_t sum = xc__snapshot_checksum(data, len);
    memcpy(data + xc__snapshot_checksum_offset(), &sum, sizeof sum);
    write_file(path, data, len);
    expect_rebuilt(paths, dir, "built by another build");
    free(data);

    len = read_file(path, &data);
    /* the relocation table is the file's tail: point its last entry past the structures */
    uint32_t bad = 0x7ffffff8u;
    memcpy(data + len - 4, &bad, sizeof bad);
    sum = xc__snapshot_checksum(data, len);
    memcpy(data + xc__snapshot_checksum_offset(), &sum, sizeof sum);
    write_file(path, data, len);
    expect_rebuilt(paths, dir, "relocation outside");
    free(data);
}

TEST(snapshot_follows_the_source_files)
{
    /* The key is the files' identity: a changed source file means another snapshot, and a
     * snapshot copied under another key's name is refused as built from other files. */
    const char *src = tmpdir("src");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp data/samples/*.csv %s/", src);
    CHECK_INT(system(cmd), 0);
    const char *paths[] = {src, NULL};
    const char *dir = tmpdir("follow");
    char first[1024], second[1024];
    snapshot_path(paths, dir, first, sizeof first);
    char sdn[600];
    snprintf(sdn, sizeof sdn, "%s/sdn.csv", src);
    FILE *f = fopen(sdn, "ab");
    CHECK(f != NULL);
    if (f) {
        fputs("99999999,\"ZZTESTOV, Ivan\",\"individual\",\"RUSSIA-EO14024\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n", f);
        fclose(f);
    }
    xc_engine *eng = th_open_paths(paths, dir);
    CHECK(eng != NULL);
    if (!eng)
        return;
    CHECK_INT(xc_engine_snapshot(eng)->state, XC_SNAPSHOT_WRITTEN);
    snprintf(second, sizeof second, "%s", xc_engine_snapshot(eng)->path);
    CHECK(strcmp(first, second) != 0);
    char *json = answer(eng, "Ivan Zztestov", NULL);
    CHECK_CONTAINS(json, "99999999");
    xc_free(json);
    xc_engine_close(eng);
    /* the new snapshot serves the new row */
    eng = th_open_paths(paths, dir);
    CHECK(eng && xc_engine_snapshot(eng)->state == XC_SNAPSHOT_LOADED);
    json = eng ? answer(eng, "Ivan Zztestov", NULL) : NULL;
    CHECK_CONTAINS(json, "99999999");
    xc_free(json);
    xc_engine_close(eng);
    /* the old snapshot put in the new one's place is stale */
    char *data;
    size_t len = read_file(first, &data);
    write_file(second, data, len);
    free(data);
    expect_rebuilt(paths, dir, "built from other source files");
}

TEST(snapshot_unwritable_folder_costs_only_speed)
{
    const char *paths[] = {"data/samples", NULL};
    char dir[600];
    /* a regular file where the folder should be */
    snprintf(dir, sizeof dir, "%s/not-a-dir", tmpdir("unwritable"));
    write_file(dir, "x", 1);
    xc_engine *eng = th_open_paths(paths, dir);
    CHECK(eng != NULL);
    if (!eng)
        return;
    CHECK_INT(xc_engine_snapshot(eng)->state, XC_SNAPSHOT_FAILED);
    CHECK_CONTAINS(xc_engine_snapshot(eng)->note, "not written");
    char *json = answer(eng, "Kim Jong Un", NULL);
    CHECK_CONTAINS(json, "KIM");
    xc_free(json);
    xc_engine_close(eng);
}

TEST(snapshot_prune_keeps_recent)
{
    const char *dir = tmpdir("prune");
    char path[600];
    for (int i = 0; i < 7; i++) {
        snprintf(path, sizeof path, "%s/%d.snap", dir, i);
        write_file(path, "x", 1);
        struct timespec times[2] = {{1000 + i, 0}, {1000 + i, 0}};
        utimensat(AT_FDCWD, path, times, 0);
    }
    snprintf(path, sizeof path, "%s/0.snap", dir); /* current, though oldest */
    xc__snapshot_prune(dir, path, 4);
    int left = 0;
    for (int i = 0; i < 7; i++) {
        snprintf(path, sizeof path, "%s/%d.snap", dir, i);
        left += access(path, F_OK) == 0;
    }
    CHECK_INT(left, 4);
    snprintf(path, sizeof path, "%s/0.snap", dir);
    CHECK(access(path, F_OK) == 0);
    snprintf(path, sizeof path, "%s/6.snap", dir);
    CHECK(access(path, F_OK) == 0);
}

TEST(snapshot_out_of_memory_never_crashes)
{
    /* Every allocation of a snapshot write and load failing in turn: the open either fails
     * with XC_NOMEM or succeeds (a failed snapshot write only costs speed). */
    const char *paths[] = {"data/samples", NULL};
    const char *dir = tmpdir("oom");
    for (int phase = 0; phase < 2; phase++) {
        for (long n = 1; n < 100000; n += (n < 400 ? 1 : 97)) {
            if (phase == 0) { /* writing: no snapshot yet */
                char cmd[700];
                snprintf(cmd, sizeof cmd, "rm -f %s/*.snap", dir);
                if (system(cmd) != 0)
                    break;
            }
            xc_config cfg = {0};
            cfg.data_paths = paths;
            cfg.snapshot_dir = dir;
            xc_error err = {0};
            xc__alloc_fail_at(n);
            xc_engine *eng = xc_engine_open(&cfg, &err);
            long used = xc__alloc_count();
            xc__alloc_fail_at(0);
            if (!eng)
                CHECK_INT(err.code, XC_NOMEM);
            xc_engine_close(eng);
            if (used < n) /* the failure point lies beyond the whole open */
                break;
        }
        /* leave a good snapshot for the load phase */
        xc_engine_close(th_open_paths(paths, dir));
    }
}

TEST(snapshot_real_sdn_matches_files)
{
    const char *sdn = th_shared("data/lists/ofac/sdn.csv");
    if (!sdn)
        SKIP("OFAC sdn.csv not in ../shared");
    char dirbuf[4096];
    snprintf(dirbuf, sizeof dirbuf, "%s", sdn);
    *strrchr(dirbuf, '/') = '\0';
    const char *src = tmpdir("sdn");
    static char cmd[16384];
    snprintf(cmd, sizeof cmd, "cp %s/sdn.csv %s/alt.csv %s/add.csv %s/", dirbuf, dirbuf, dirbuf, src);
    CHECK_INT(system(cmd), 0);
    const char *paths[] = {src, NULL};
    const char *dir = tmpdir("sdn-snap");
    xc_engine *plain = th_open_paths(paths, NULL);
    xc_engine_close(th_open_paths(paths, dir));
    xc_engine *mapped = th_open_paths(paths, dir);
    CHECK(plain && mapped && xc_engine_snapshot(mapped)->state == XC_SNAPSHOT_LOADED);
    if (plain && mapped) {
        static const char *const names[] = {
            "Kim Jong Un", "Bank Melli Iran", "ROSNEFT", "Mahan Air", "Islamic Revolutionary Guard Corps",
            "Hezbollah", "Viktor Bout", "Joaquin Guzman Loera", "Ри Иль Хван", "김여정",
            "Sberbank", "Wagner Group", "John Smith", "Maria Garcia", "Ali Khamenei",
        };
        same_answers(plain, mapped, names, XC__ARRAY_LEN(names));
    }
    xc_engine_close(plain);
    xc_engine_close(mapped);
}

TEST(cleanup)
{
    if (tmp_root[0]) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "rm -rf %s", tmp_root);
        CHECK_INT(system(cmd), 0);
    }
}
