/*
 * replay_main.c - a plain main for a libFuzzer harness: runs
 * LLVMFuzzerTestOneInput once on each file named on the command line and on
 * each regular file directly inside each directory named (dot files are
 * skipped). Lets ctest replay a fuzz corpus with any compiler, without
 * libFuzzer.
 *
 * Expected outcomes: a file whose name starts with "ok-" must be accepted by
 * the parser, one starting with "bad-" rejected; other names need only not
 * crash. The harness tells accepted from rejected through an optional
 * function of its own, pc_fuzz_accepts(data, size) (1 accepted, 0 rejected);
 * a prefixed file for a harness without it is an error.
 *
 * Prints "replay: N inputs, M outcomes checked" on success. Exits 1 when an
 * argument or file cannot be read, no input was found, or an outcome was not
 * the expected one; a crashing input aborts the process, which is the
 * failure the test is there to catch.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a harness (a weak reference: NULL when it is not there). */
int pc_fuzz_accepts(const uint8_t *data, size_t size) __attribute__((weak));

static unsigned long checked;

/* The outcome the file name asks for: 1 accepted, 0 rejected, -1 none. */
static int expected(const char *path)
{
    const char *base = strrchr(path, '/');

    base = base != NULL ? base + 1 : path;
    if (strncmp(base, "ok-", 3) == 0)
        return 1;
    if (strncmp(base, "bad-", 4) == 0)
        return 0;
    return -1;
}

/* Read the whole file into a heap buffer of exactly its size, so that a
 * sanitizer sees a read past the end; runs the harness on it. */
static int run_file(const char *path)
{
    FILE *f;
    uint8_t *data = NULL;
    long size;
    int rc = -1, want, got;

    errno = 0;
    f = fopen(path, "rb");
    if (f == NULL)
        goto out;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    data = malloc(size > 0 ? (size_t)size : 1);
    if (data == NULL)
        goto out;
    if (size > 0 && fread(data, 1, (size_t)size, f) != (size_t)size)
        goto out;
    LLVMFuzzerTestOneInput(data, (size_t)size);
    rc = 0;
    if ((want = expected(path)) >= 0) {
        if (pc_fuzz_accepts == NULL) {
            fprintf(stderr,
                    "replay: %s: an expected outcome, but the harness has no "
                    "pc_fuzz_accepts()\n",
                    path);
            rc = 1;
        } else if ((got = pc_fuzz_accepts(data, (size_t)size) != 0) != want) {
            fprintf(stderr, "replay: %s: %s, expected %s\n", path, got ? "accepted" : "rejected",
                    want ? "accepted" : "rejected");
            rc = 1;
        } else {
            checked++;
        }
    }
out:
    if (rc < 0)
        fprintf(stderr, "replay: %s: %s\n", path, errno ? strerror(errno) : "read error");
    free(data);
    if (f != NULL)
        fclose(f);
    return rc;
}

/* Run every regular file directly inside dir; adds to *count. */
static int run_dir(const char *dir, unsigned long *count)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int rc = 0;

    if (d == NULL) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;

        if (e->d_name[0] == '.')
            continue;
        if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path)) {
            fprintf(stderr, "replay: %s/%s: path too long\n", dir, e->d_name);
            rc = -1;
            continue;
        }
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (run_file(path) != 0)
            rc = -1;
        else
            (*count)++;
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    unsigned long count = 0;
    int failed = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;

        errno = 0;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
            failed = 1;
        } else if (S_ISDIR(st.st_mode)) {
            if (run_dir(argv[i], &count) != 0)
                failed = 1;
        } else if (run_file(argv[i]) != 0) {
            failed = 1;
        } else {
            count++;
        }
    }
    printf("replay: %lu inputs, %lu outcomes checked\n", count, checked);
    if (count == 0) {
        fprintf(stderr, "replay: no inputs found\n");
        return 1;
    }
    return failed;
}
