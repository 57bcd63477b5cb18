/*
 * update.c — installing list versions from an offline copy (`xcheck update --from DIR`).
 *
 * For each source of the sources table (data/sources.tsv: one row per published file) the files
 * are found in the offline folder (or downloaded, fetch.c), hashed, copied into a staging folder
 * next to their final place and parsed there with the real parsers. Only a copy that parses into
 * entities — and has not shrunk by more than 10% (by default) against the version in service,
 * which catches a truncated CSV that still parses — is renamed into lists/<source>/<version>/ and made current by atomically replacing the
 * lists/<source>/current symlink. Anything else leaves the version in service untouched. Each
 * outcome is recorded in the store (list_versions) and audited.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lists/lists.h"
#include "store.h"

#define TABLE_MAX (1u << 20)
#define TABLE_ROWS 128
#define FILE_MAX ((int64_t)1 << 30) /* 1 GiB per published file */

/* Defined in the generated build/gen/xc_data.c when data/sources.tsv is embedded. */
const char *xc__data_file(const char *name, size_t *len);

typedef struct source_row {
    char source[64];
    char file[128];
    bool required;
    char folders[256];
    char url[1024];
} source_row;

static xc_status parse_table(const char *text, size_t len, source_row *rows, size_t *count,
                             xc_error *err)
{
    *count = 0;
    size_t line = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
        line++;
        char buf[2048];
        if (n >= sizeof buf)
            return xc__error_set(err, XC_PARSE, "sources table line %zu: too long", line);
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (n && buf[n - 1] == '\r')
            buf[n - 1] = '\0';
        p += n + (eol ? 1 : 0);
        if (buf[0] == '#' || buf[0] == '\0')
            continue;
        if (*count == TABLE_ROWS)
            return xc__error_set(err, XC_TOOBIG, "sources table: over %d rows", TABLE_ROWS);
        char *fields[5];
        int nf = 0;
        char *cursor = buf;
        while (nf < 5) {
            fields[nf++] = cursor;
            char *tab = strchr(cursor, '\t');
            if (!tab)
                break;
            *tab = '\0';
            cursor = tab + 1;
        }
        if (nf != 5 || !fields[0][0] || !fields[1][0] || strchr(fields[1], '/') ||
            strchr(fields[0], '/') || fields[0][0] == '.')
            return xc__error_set(err, XC_PARSE,
                                 "sources table line %zu: expected source, file, required, "
                                 "folders, url", line);
        source_row *row = &rows[(*count)++];
        xc__strlcpy(row->source, fields[0], sizeof row->source);
        xc__strlcpy(row->file, fields[1], sizeof row->file);
        row->required = strcmp(fields[2], "yes") == 0;
        xc__strlcpy(row->folders, fields[3], sizeof row->folders);
        xc__strlcpy(row->url, fields[4], sizeof row->url);
    }
    return XC_OK;
}

/* True when no row of source has a download address (url empty or "-"): a list of one's own,
 * installed only from an offline folder. */
static bool offline_only(const source_row *rows, size_t row_count, const char *source)
{
    for (size_t i = 0; i < row_count; i++)
        if (strcmp(rows[i].source, source) == 0 && rows[i].url[0] &&
            strcmp(rows[i].url, "-") != 0)
            return false;
    return true;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool is_pattern(const char *file)
{
    return strpbrk(file, "*?[") != NULL;
}

/* fnmatch ignoring ASCII case (FNM_CASEFOLD is a GNU extension). */
static bool fnmatch_ci(const char *pattern, const char *name)
{
    char p[256], n[256];
    if (xc__strlcpy(p, pattern, sizeof p) >= sizeof p || xc__strlcpy(n, name, sizeof n) >= sizeof n)
        return false;
    for (char *c = p; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    for (char *c = n; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    return fnmatch(p, n, 0) == 0;
}

/* Finds file in folder, exactly or ignoring case (publishers write SDN.CSV and sdn.csv). A
 * file name with wildcards (METI's enduserlist*.xlsx, whose name carries the revision date)
 * takes the greatest matching name, i.e. the latest revision when names carry dates. */
static bool find_in(const char *folder, const char *file, char *out, size_t size)
{
    bool pattern = is_pattern(file);
    snprintf(out, size, "%s/%s", folder, file);
    if (!pattern && is_file(out))
        return true;
    DIR *dir = opendir(folder);
    if (!dir)
        return false;
    struct dirent *entry;
    char best[256] = "";
    bool found = false;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        bool match = pattern ? fnmatch_ci(file, entry->d_name) : xc__str_ieq(entry->d_name, file);
        if (!match || strlen(entry->d_name) >= sizeof best || strcmp(entry->d_name, best) <= 0)
            continue;
        char candidate[4600];
        snprintf(candidate, sizeof candidate, "%s/%s", folder, entry->d_name);
        if (is_file(candidate)) {
            xc__strlcpy(best, entry->d_name, sizeof best);
            found = true;
        }
    }
    closedir(dir);
    if (found)
        snprintf(out, size, "%s/%s", folder, best);
    return found;
}

/* Name a fetched or copied file is staged under: the table's name, or for a wildcard name
 * the file's own (its last path segment without query), kept to safe characters. */
static void staged_name(const source_row *row, const char *from, char *out, size_t size)
{
    if (!is_pattern(row->file)) {
        xc__strlcpy(out, row->file, size);
        return;
    }
    char path[4096];
    xc__strlcpy(path, from, sizeof path);
    path[strcspn(path, "?#")] = '\0';
    const char *base = xc__path_base(path);
    size_t n = 0;
    for (const char *p = base; *p && n + 1 < size; p++)
        out[n++] = (isalnum((unsigned char)*p) || strchr("._-", *p)) ? *p : '_';
    out[n] = '\0';
    if (n > 0 && out[0] != '.' && fnmatch_ci(row->file, out))
        return;
    /* The address names no file of the expected shape (the EU's ".../content?token=..."):
     * the pattern with its wildcards read as "latest" ("fsf*.csv" -> "fsf-latest.csv"). */
    n = 0;
    for (const char *p = row->file; *p && n + 8 < size; p++) {
        if (*p == '*' || *p == '?') {
            memcpy(out + n, "-latest", 7);
            n += 7;
            while (p[1] == '*' || p[1] == '?')
                p++;
        } else if (*p == '[') {
            while (*p && *p != ']')
                p++;
            if (!*p)
                break;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
}

/* Locates one published file inside the offline folder (see xc_update_opts.from_dir). */
static bool locate(const char *from, const source_row *row, bool unique_name, char *out,
                   size_t size)
{
    char folder[4096];
    snprintf(folder, sizeof folder, "%s/%s", from, row->source);
    if (find_in(folder, row->file, out, size))
        return true;
    char folders[256];
    xc__strlcpy(folders, row->folders, sizeof folders);
    for (char *name = folders; name && *name;) {
        char *comma = strchr(name, ',');
        if (comma)
            *comma = '\0';
        snprintf(folder, sizeof folder, "%s/%s", from, name);
        if (*name && find_in(folder, row->file, out, size))
            return true;
        name = comma ? comma + 1 : NULL;
    }
    return unique_name && find_in(from, row->file, out, size);
}

/* True when the file locate() looked for exists only as a dangling link (named in out). */
static bool broken_link(const char *from, const source_row *row, char *out, size_t size)
{
    char folders[300];
    snprintf(folders, sizeof folders, "%s,%s", row->source, row->folders);
    for (char *name = folders; name && *name;) {
        char *comma = strchr(name, ',');
        if (comma)
            *comma = '\0';
        struct stat st;
        snprintf(out, size, "%s/%s/%s", from, name, row->file);
        if (*name && lstat(out, &st) == 0 && S_ISLNK(st.st_mode) && access(out, R_OK) != 0)
            return true;
        name = comma ? comma + 1 : NULL;
    }
    return false;
}

/* Copies src to dst (fsynced), hashing it; refuses files over FILE_MAX. */
static xc_status copy_file(const char *src, const char *dst, unsigned char digest[32],
                           int64_t *size, xc_error *err)
{
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return xc__error_set(err, XC_IO, "%s: %s", src, strerror(errno));
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (out < 0) {
        close(in);
        return xc__error_set(err, XC_IO, "%s: %s", dst, strerror(errno));
    }
    xc__sha256 ctx;
    xc__sha256_init(&ctx);
    char buf[1 << 16];
    xc_status rc = XC_OK;
    *size = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = xc__error_set(err, XC_IO, "%s: %s", src, strerror(errno));
            break;
        }
        *size += n;
        if (*size > FILE_MAX) {
            rc = xc__error_set(err, XC_TOOBIG, "%s: over %lld bytes", src, (long long)FILE_MAX);
            break;
        }
        xc__sha256_update(&ctx, buf, (size_t)n);
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                rc = xc__error_set(err, XC_IO, "%s: %s", dst, strerror(errno));
                break;
            }
            done += w;
        }
        if (rc != XC_OK)
            break;
    }
    if (rc == XC_OK && fsync(out) != 0)
        rc = xc__error_set(err, XC_IO, "%s: %s", dst, strerror(errno));
    close(in);
    if (close(out) != 0 && rc == XC_OK)
        rc = xc__error_set(err, XC_IO, "%s: %s", dst, strerror(errno));
    xc__sha256_final(&ctx, digest);
    return rc;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *entry;
        char path[4096];
        while ((entry = readdir(d)) != NULL) {
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Removes what a killed update of this source left behind: staging folders and link
 * temporaries named after a process that no longer runs. */
static void remove_stale(const char *source_dir)
{
    DIR *dir = opendir(source_dir);
    if (!dir)
        return;
    struct dirent *entry;
    char path[4400];
    while ((entry = readdir(dir)) != NULL) {
        const char *name = entry->d_name, *dash;
        bool staging = strncmp(name, ".staging-", 9) == 0;
        if ((!staging && strncmp(name, ".current-", 9) != 0) || !(dash = strchr(name, '-')))
            continue;
        long pid = strtol(dash + 1, NULL, 10);
        if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(path, sizeof path, "%s/%s", source_dir, name);
        if (staging)
            remove_tree(path);
        else
            unlink(path);
    }
    closedir(dir);
}

/* Does source_dir/current name the folder active_path (the version the store has in
 * service)? Not after a crash between swapping the link and recording the version. */
static bool current_is(const char *source_dir, const char *active_path)
{
    char link[4200], target[4200];
    snprintf(link, sizeof link, "%s/current", source_dir);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return false;
    target[n] = '\0';
    return strcmp(target, xc__path_base(active_path)) == 0;
}

/* The source's active version in the store: version name, sha256, entities, folder. */
static void active_version(xc_store *store, const char *source, char version[64],
                           char sha[65], int64_t *entities, char path[4096])
{
    version[0] = sha[0] = path[0] = '\0';
    *entities = 0;
    sqlite3_stmt *stmt;
    if (xc__store_prepare(store, "SELECT version, sha256, entities, path FROM list_versions"
                                 " WHERE source = ? AND status = 'active'"
                                 " ORDER BY id DESC LIMIT 1", &stmt, NULL) != XC_OK)
        return;
    sqlite3_bind_text(stmt, 1, source, -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        xc__strlcpy(version, xc__store_col(stmt, 0), 64);
        xc__strlcpy(sha, xc__store_col(stmt, 1), 65);
        *entities = sqlite3_column_int64(stmt, 2);
        xc__strlcpy(path, xc__store_col(stmt, 3), 4096);
    }
    sqlite3_finalize(stmt);
}

typedef struct outcome {
    const char *what;      /* installed, unchanged, rejected, missing */
    char version[64];      /* in service after the update */
    char candidate[64];    /* version name of the candidate */
    char sha[65];
    int64_t size, entities;
    char message[800];
    char url[4200];        /* where the candidate came from (';'-joined paths) */
    bool incomplete;       /* rejected for a missing required file */
    char path[4400];       /* where it was installed */
    bool network_failed;   /* a download failed after its retries */
} outcome;

/* Everything for one source; fills out and never fails the whole run except on XC_DB/NOMEM. */
static xc_status update_source(xc_store *store, const xc_update_opts *opts,
                               const xc__fetch_limits *limits, const char *data_dir,
                               const source_row *rows, size_t row_count, const char *source,
                               outcome *out, xc_error *err)
{
    char old_sha[65], old_path[4096];
    int64_t old_entities;
    active_version(store, source, out->version, old_sha, &old_entities, old_path);

    /* Find the files. */
    char found[16][4096];
    const source_row *found_rows[16];
    size_t nfound = 0;
    char missing[256] = "", missing_why[800] = ""; /* required files not found */
    for (size_t i = 0; i < row_count && nfound < 16; i++) {
        if (strcmp(rows[i].source, source) != 0)
            continue;
        bool unique = !is_pattern(rows[i].file);
        for (size_t k = 0; k < row_count; k++)
            if (k != i && strcmp(rows[k].source, source) != 0 &&
                xc__str_ieq(rows[k].file, rows[i].file))
                unique = false;
        if (!opts->from_dir) { /* download: every file of the source, optional ones may 404 */
            xc__strlcpy(found[nfound], rows[i].url, sizeof found[nfound]);
            found_rows[nfound++] = &rows[i];
        } else if (locate(opts->from_dir, &rows[i], unique, found[nfound],
                          sizeof found[nfound])) {
            found_rows[nfound++] = &rows[i];
        } else if (rows[i].required) {
            char link[4200];
            size_t used = strlen(missing);
            snprintf(missing + used, sizeof missing - used, "%s%s", used ? ";" : "",
                     rows[i].file);
            if (missing_why[0])
                continue; /* the first missing file is the one named */
            if (broken_link(opts->from_dir, &rows[i], link, sizeof link))
                snprintf(missing_why, sizeof missing_why,
                         "%.700s is a link to a missing or unreadable file", link);
            else
                snprintf(missing_why, sizeof missing_why, "%s not found in %s", rows[i].file,
                         opts->from_dir);
        }
    }
    /* Complete sources or none: none of its files is "missing" (skipped when updating every
     * source); some but not a required one is an incomplete copy, refused unless allowed. */
    if (missing[0] && (nfound == 0 || !opts->allow_incomplete)) {
        out->what = nfound == 0 ? "missing" : "rejected";
        out->incomplete = nfound > 0;
        snprintf(out->message, sizeof out->message, "%.600s%s%s", missing_why,
                 nfound ? ": a required file of the source (incomplete copy refused; allow it "
                          "with --allow-incomplete)" : "",
                 nfound ? (out->version[0] ? "; the version in service is kept"
                                           : "; no version in service") : "");
        return XC_OK;
    }

    /* Stage: copy and hash. */
    char source_dir[4096], staging[4200];
    snprintf(source_dir, sizeof source_dir, "%s/lists/%s", data_dir, source);
    xc_status rc = xc__mkdirs(source_dir, 0755, err);
    if (rc != XC_OK)
        return rc;
    remove_stale(source_dir);
    snprintf(staging, sizeof staging, "%s/.staging-%ld", source_dir, (long)getpid());
    remove_tree(staging);
    if (mkdir(staging, 0755) != 0)
        return xc__error_set(err, XC_IO, "%s: %s", staging, strerror(errno));
    xc__sha256 set_hash;
    xc__sha256_init(&set_hash);
    unsigned char first_digest[32];
    xc_error copy_err = {0};
    size_t hashed = 0;
    for (size_t i = 0; i < nfound && rc == XC_OK; i++) {
        char dst[4800];
        unsigned char digest[32];
        int64_t size = 0;
        bool absent = false;
        if (!opts->from_dir && strncmp(found[i], "page:", 5) == 0) {
            /* the file's address is a link on a page (METI renames the file each revision) */
            char page_file[4400], url[4096];
            snprintf(page_file, sizeof page_file, "%s/.page", staging);
            rc = xc__store_discover(found[i] + 5, page_file, limits, url, sizeof url,
                                    &copy_err);
            unlink(page_file);
            if (rc == XC_NOTFOUND) {
                absent = true;
            } else if (rc == XC_OK) {
                xc__strlcpy(found[i], url, sizeof found[i]);
            }
        }
        char name[256];
        staged_name(found_rows[i], found[i], name, sizeof name);
        snprintf(dst, sizeof dst, "%s/%s", staging, name);
        if (absent)
            ; /* no link to follow: handled below like a 404 */
        else if (rc != XC_OK)
            ;
        else if (opts->from_dir)
            rc = copy_file(found[i], dst, digest, &size, &copy_err);
        else
            rc = xc__store_fetch(found[i], dst, limits, digest, &size, &absent, &copy_err);
        if (absent && !found_rows[i]->required) {
            rc = XC_OK; /* an optional file the publisher does not (or no longer) publish */
            continue;
        }
        if (absent && opts->allow_incomplete && (hashed > 0 || i + 1 < nfound)) {
            rc = XC_OK; /* a required file absent, installed incomplete on request */
            size_t used = strlen(missing);
            snprintf(missing + used, sizeof missing - used, "%s%s", used ? ";" : "",
                     found_rows[i]->file);
            continue;
        }
        if (absent && hashed > 0) { /* some files fetched, a required one absent */
            remove_tree(staging);
            out->what = "rejected";
            out->incomplete = true;
            snprintf(out->message, sizeof out->message, "%.600s: %s is a required file of the "
                     "source (incomplete copy refused; allow it with --allow-incomplete); %s",
                     copy_err.message, found_rows[i]->file,
                     out->version[0] ? "the version in service is kept" : "no version in service");
            return XC_OK;
        }
        if (absent) {
            remove_tree(staging);
            out->what = "missing";
            snprintf(out->message, sizeof out->message, "%s", copy_err.message);
            return XC_OK;
        }
        if (rc != XC_OK) {
            out->network_failed = rc == XC_NETWORK;
            break;
        }
        out->size += size;
        hashed++;
        xc__sha256_update(&set_hash, digest, 32);
        if (hashed == 1)
            memcpy(first_digest, digest, 32);
        size_t used = strlen(out->url);
        snprintf(out->url + used, sizeof out->url - used, "%s%s", i ? ";" : "", found[i]);
    }
    if (rc != XC_OK) {
        remove_tree(staging);
        out->what = "rejected";
        snprintf(out->message, sizeof out->message, "%.500s; %s", copy_err.message,
                 out->version[0] ? "the version in service is kept" : "no version in service");
        return XC_OK;
    }
    unsigned char digest[32];
    if (hashed == 1)
        memcpy(digest, first_digest, 32); /* one file: its own SHA-256, checkable with sha256sum */
    else
        xc__sha256_final(&set_hash, digest);
    xc__hex(digest, 32, out->sha);

    /* Unchanged only when current still serves the version the store has in service (a
     * killed update may have swapped the link without recording the version: reinstall). */
    if (old_sha[0] && strcmp(old_sha, out->sha) == 0) {
        if (current_is(source_dir, old_path)) {
            remove_tree(staging);
            out->what = "unchanged";
            out->entities = old_entities;
            xc__strlcpy(out->candidate, out->version, sizeof out->candidate);
            return XC_OK;
        }
    }

    /* Parse the staged copy with the real parsers. */
    xc__listset set;
    if (xc__listset_init(&set) != XC_OK) {
        remove_tree(staging);
        return xc__error_set(err, XC_NOMEM, "update: out of memory");
    }
    const char *paths[] = {staging, NULL};
    xc_error parse_err = {0};
    unsigned load_flags = opts->allow_incomplete ? XC__LOAD_ALLOW_INCOMPLETE : 0;
    xc_status parsed = xc__load_paths_ex(&set, paths, load_flags, &parse_err);
    if (parsed == XC_NOTFOUND)
        out->incomplete = true;
    out->entities = (int64_t)set.entity_count;
    int64_t names = 0;
    char version[64] = "";
    for (size_t i = 0; i < set.list_count; i++) {
        names += (int64_t)set.lists[i].names;
        if (!version[0])
            xc__strlcpy(version, set.lists[i].version, sizeof version);
        if (set.lists[i].incomplete && !strstr(missing, set.lists[i].missing)) {
            size_t used = strlen(missing);
            snprintf(missing + used, sizeof missing - used, "%s%s", used ? ";" : "",
                     set.lists[i].missing);
        }
    }
    xc__listset_free(&set);
    /* Names of the version in service, for the shrink check: a lost alias file halves them
     * while the entities stay. Parsed from its folder (the store records entities only). */
    int64_t old_names = 0;
    struct stat old_st;
    if (parsed == XC_OK && old_entities > 0 && old_path[0] && stat(old_path, &old_st) == 0 &&
        S_ISDIR(old_st.st_mode) && xc__listset_init(&set) == XC_OK) {
        const char *old_paths[] = {old_path, NULL};
        xc_error old_err = {0};
        if (xc__load_paths_ex(&set, old_paths, XC__LOAD_ALLOW_INCOMPLETE, &old_err) == XC_OK)
            for (size_t i = 0; i < set.list_count; i++)
                old_names += (int64_t)set.lists[i].names;
        xc__listset_free(&set);
    }
    if (!version[0])
        snprintf(version, sizeof version, "%.12s", out->sha);
    xc__strlcpy(out->candidate, version, sizeof out->candidate);
    const char *keep = out->version[0] ? out->version : NULL;
    int shrink = opts->max_shrink_percent > 0 ? opts->max_shrink_percent : 10;
    bool names_shrank = old_names > 0 && names * 100 < old_names * (100 - shrink);
    if (parsed != XC_OK || out->entities == 0 ||
        (old_entities > 0 && out->entities * 100 < old_entities * (100 - shrink)) ||
        names_shrank) {
        remove_tree(staging);
        out->what = "rejected";
        char why[600];
        if (parsed != XC_OK)
            snprintf(why, sizeof why, "does not parse: %s", parse_err.message);
        else if (out->entities == 0)
            snprintf(why, sizeof why, "parses into no entities");
        else if (names_shrank && !(out->entities * 100 < old_entities * (100 - shrink)))
            snprintf(why, sizeof why, "%lld names and aliases, more than %d%% fewer than the "
                     "%lld in service (a missing or truncated alias file? allow with a larger "
                     "maximum shrink)", (long long)names, shrink, (long long)old_names);
        else
            snprintf(why, sizeof why, "%lld entities, more than %d%% fewer than the %lld in "
                     "service (truncated? allow with a larger maximum shrink)",
                     (long long)out->entities, shrink, (long long)old_entities);
        snprintf(out->message, sizeof out->message, "%s; %s", why,
                 keep ? "the version in service is kept" : "no version in service");
        return XC_OK;
    }

    /* Installed incomplete on request: the marker says so to every engine opened on it. */
    if (missing[0]) {
        char marker[4400];
        snprintf(marker, sizeof marker, "%s/%s", staging, XC__INCOMPLETE_MARKER);
        FILE *f = fopen(marker, "w");
        bool ok = f && fprintf(f, "installed without required file(s): %s\n", missing) > 0;
        if (f && fclose(f) != 0)
            ok = false;
        if (!ok) {
            remove_tree(staging);
            return xc__error_set(err, XC_IO, "update: %s: cannot write", marker);
        }
        snprintf(out->message, sizeof out->message, "INCOMPLETE: installed without %s "
                 "(--allow-incomplete); answers from it are marked incomplete", missing);
    }
    /* Install: rename the staging folder into place, then swap the current link. */
    char final_name[160];
    snprintf(final_name, sizeof final_name, "%s", version);
    snprintf(out->path, sizeof out->path, "%s/%s", source_dir, final_name);
    if (access(out->path, F_OK) == 0) {
        snprintf(final_name, sizeof final_name, "%s-%.12s", version, out->sha);
        snprintf(out->path, sizeof out->path, "%s/%s", source_dir, final_name);
        if (access(out->path, F_OK) == 0)
            remove_tree(out->path); /* the same bytes installed before: replace the copy */
    }
    char link_tmp[4300], link_path[4300];
    snprintf(link_tmp, sizeof link_tmp, "%s/.current-%ld", source_dir, (long)getpid());
    snprintf(link_path, sizeof link_path, "%s/current", source_dir);
    unlink(link_tmp);
    if (rename(staging, out->path) != 0 || symlink(final_name, link_tmp) != 0 ||
        rename(link_tmp, link_path) != 0) {
        rc = xc__error_set(err, XC_IO, "update: installing %s: %s", out->path, strerror(errno));
        remove_tree(staging);
        unlink(link_tmp);
        return rc;
    }
    sync_dir(source_dir);
    out->what = "installed";
    xc__strlcpy(out->version, final_name, sizeof out->version);
    return XC_OK;
}

static xc_status record(xc_store *store, const char *source, const outcome *o, xc_error *err)
{
    xc_status rc = XC_OK;
    bool installed = strcmp(o->what, "installed") == 0, rejected = strcmp(o->what, "rejected") == 0;
    if (installed || rejected) {
        xc_list_version v = {.source = source,
                             .version = o->candidate,
                             .url = o->url,
                             .path = installed ? o->path : "",
                             .size = o->size,
                             .sha256 = o->sha,
                             .entities = o->entities,
                             .status = installed ? "active" : "rejected",
                             .message = o->message};
        rc = xc_store_list_version_record(store, &v, NULL, err);
    }
    if (rc != XC_OK)
        return rc;
    xc__buf query, answer;
    xc__buf_init(&query, 0);
    xc__buf_init(&answer, 0);
    xc__buf_append(&query, "{\"source\":", 10);
    xc__store_json_str(&query, source);
    xc__buf_append(&query, ",\"from\":", 8);
    xc__store_json_str(&query, o->url);
    xc__buf_putc(&query, '}');
    xc__buf_printf(&answer, "{\"outcome\":\"%s\",\"version\":", o->what);
    xc__store_json_str(&answer, o->version);
    xc__buf_printf(&answer, ",\"candidate\":{\"version\":");
    xc__store_json_str(&answer, o->candidate);
    xc__buf_printf(&answer, ",\"sha256\":\"%s\",\"size\":%lld,\"entities\":%lld},\"message\":",
                   o->sha, (long long)o->size, (long long)o->entities);
    xc__store_json_str(&answer, o->message);
    xc__buf_putc(&answer, '}');
    if (!query.data || !answer.data)
        rc = xc__error_set(err, XC_NOMEM, "update: out of memory");
    else
        rc = xc_store_audit_append(store, "update", query.data, answer.data, "", NULL, err);
    xc__buf_free(&query);
    xc__buf_free(&answer);
    return rc;
}

xc_status xc_update_lists(xc_store *store, const xc_update_opts *opts, xc_error *err)
{
    if (!store || !opts)
        return xc__error_set(err, XC_INVALID, "update: needs a store and options");
    xc__fetch_limits limits = {
        .timeout_seconds = opts->timeout_seconds > 0 ? opts->timeout_seconds : 300,
        .low_speed_seconds = opts->low_speed_seconds > 0 ? opts->low_speed_seconds : 60,
        .max_bytes = opts->max_bytes > 0 ? opts->max_bytes : FILE_MAX,
        .retries = opts->retries < 0 ? 0 : opts->retries > 0 ? opts->retries : 2,
        .retry_pause_ms = 1000,
    };
    char data_dir[4096];
    if (opts->data_dir)
        xc__strlcpy(data_dir, opts->data_dir, sizeof data_dir);
    else if (xc_data_dir(data_dir, sizeof data_dir, err) != XC_OK)
        return err ? err->code : XC_INVALID;

    char *owned = NULL;
    const char *table;
    size_t table_len;
    xc_status rc;
    if (opts->sources_file) {
        rc = xc__file_read(opts->sources_file, TABLE_MAX, &owned, &table_len, err);
        if (rc != XC_OK)
            return rc;
        table = owned;
    } else if (!(table = xc__data_file("sources.tsv", &table_len))) {
        return xc__error_set(err, XC_NODATA, "update: no sources table built in "
                                             "(data/sources.tsv); give one");
    }
    source_row *rows = xc__calloc(TABLE_ROWS, sizeof *rows);
    size_t row_count = 0;
    rc = rows ? parse_table(table, table_len, rows, &row_count, err)
              : xc__error_set(err, XC_NOMEM, "update: out of memory");
    xc__free_mem(owned);
    if (rc != XC_OK) {
        xc__free_mem(rows);
        return rc;
    }
    /* Named sources must all be known before anything is touched. A CSL sub-list's id
     * (us_bis_entity_list, ...) names the CSL file it comes in. */
    const char *named[TABLE_ROWS + 1];
    size_t nnamed = 0;
    for (size_t k = 0; opts->sources && opts->sources[k] && rc == XC_OK; k++) {
        const char *want = opts->sources[k];
        bool known = false;
        for (size_t i = 0; i < row_count; i++)
            known |= strcmp(rows[i].source, want) == 0;
        if (!known && xc__csl_list_id(want)) {
            want = "us_csl";
            for (size_t i = 0; i < row_count; i++)
                known |= strcmp(rows[i].source, want) == 0;
        }
        if (!known)
            rc = xc__error_set(err, XC_NOTFOUND, "update: unknown source '%s'", opts->sources[k]);
        else if (nnamed < TABLE_ROWS)
            named[nnamed++] = want;
    }
    named[nnamed] = NULL;
    xc_status result = XC_OK;
    char first_problem[1024] = "";
    size_t considered = 0, absent = 0;
    outcome *o = xc__malloc(sizeof *o);
    if (!o && rc == XC_OK)
        rc = xc__error_set(err, XC_NOMEM, "update: out of memory");
    for (size_t i = 0; i < row_count && rc == XC_OK; i++) {
        const char *source = rows[i].source;
        bool seen = false;
        for (size_t k = 0; k < i; k++)
            seen |= strcmp(rows[k].source, source) == 0;
        bool wanted = !opts->sources;
        for (size_t k = 0; opts->sources && k < nnamed; k++)
            wanted |= strcmp(named[k], source) == 0;
        if (seen || !wanted)
            continue;
        if (!opts->from_dir && offline_only(rows, row_count, source)) {
            /* Nothing to download: skipped in a run over all sources, refused when named. */
            if (opts->sources) {
                rc = xc__error_set(err, XC_INVALID,
                                   "update: %s has no download address (a list of one's own); "
                                   "install it with --from DIR", source);
                break;
            }
            continue;
        }
        memset(o, 0, sizeof *o);
        rc = update_source(store, opts, &limits, data_dir, rows, row_count, source, o, err);
        if (rc != XC_OK)
            break;
        bool missing = strcmp(o->what, "missing") == 0;
        considered++;
        absent += missing;
        if (!missing || opts->sources)
            rc = record(store, source, o, err);
        if (strcmp(o->what, "rejected") == 0 && result == XC_OK) {
            result = o->network_failed ? XC_NETWORK : o->incomplete ? XC_NOTFOUND : XC_PARSE;
            snprintf(first_problem, sizeof first_problem, "%s: %s", source, o->message);
        } else if (missing && opts->sources && result == XC_OK) {
            result = XC_NOTFOUND;
            snprintf(first_problem, sizeof first_problem, "%s: %s", source, o->message);
        }
        if (opts->on_event) {
            xc_update_event event = {.source = source, .outcome = o->what,
                                     .version = o->version, .sha256 = o->sha, .size = o->size,
                                     .entities = o->entities, .message = o->message};
            opts->on_event(opts->ctx, &event);
        }
    }
    xc__free_mem(o);
    xc__free_mem(rows);
    if (rc != XC_OK)
        return rc;
    if (result != XC_OK)
        return xc__error_set(err, result, "update: %s", first_problem);
    /* A folder holding none of the sources is a wrong folder, not an update with nothing new. */
    if (opts->from_dir && considered > 0 && absent == considered)
        return xc__error_set(err, XC_NOTFOUND, "update: no list file of any source found in %s",
                             opts->from_dir);
    return XC_OK;
}
