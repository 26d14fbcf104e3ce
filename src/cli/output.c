/* output.c - report files (atomic where they can be), stdout and the shared error line. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "precall/fileio.h"
#include "cli/cli.h"
#include "precall/utf8.h"

void pc_cli_error(const char *fmt, ...)
{
    char msg[2 * PC_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    pc_utf8_sanitize(msg); /* user text in a message never drives the terminal */
    fprintf(stderr, "precall: %s\n", msg);
}

int pc_cli_use_color(int choice, FILE *stream)
{
    const char *no = getenv("NO_COLOR"), *term = getenv("TERM");

    if (choice >= 0)
        return choice;
    if (stream == NULL)
        return 0;
    if (no != NULL && no[0] != '\0')
        return 0;
    if (term == NULL || strcmp(term, "dumb") == 0)
        return 0;
    return isatty(fileno(stream));
}

#define SYMLINK_HOPS_MAX 40 /* as the kernel's ELOOP limit */

/*
 * Follow path through symbolic links to the name that is not one (it may not
 * exist yet): the file a report written "to the link" should replace. Returns
 * a malloc'd path, or NULL with errno set.
 */
static char *resolve_links(const char *path)
{
    char *cur = strdup(path);
    struct stat st;

    for (int hop = 0; cur != NULL; hop++) {
        char target[4096], *next, *slash;
        ssize_t n;

        if (lstat(cur, &st) < 0 || !S_ISLNK(st.st_mode))
            return cur; /* not a link, or not there (a new file) */
        if (hop == SYMLINK_HOPS_MAX) {
            free(cur);
            errno = ELOOP;
            return NULL;
        }
        n = readlink(cur, target, sizeof(target) - 1);
        if (n < 0) {
            free(cur);
            return NULL;
        }
        target[n] = '\0';
        slash = strrchr(cur, '/');
        if (target[0] == '/' || slash == NULL) {
            next = strdup(target);
        } else { /* relative to the folder holding the link */
            size_t dir = (size_t)(slash - cur) + 1;

            next = malloc(dir + (size_t)n + 1);
            if (next != NULL) {
                memcpy(next, cur, dir);
                memcpy(next + dir, target, (size_t)n + 1);
            }
        }
        free(cur);
        cur = next;
    }
    errno = ENOMEM;
    return NULL;
}

/* A device, a FIFO: write to it as a shell redirection would. */
static int write_through(int fd, const char *path, const struct pc_buf *b, struct pc_err *err)
{
    int e;

    if (pc_write_all(fd, b->data ? b->data : "", b->len) < 0) {
        e = errno;
        close(fd);
        return pc_err_set(err, PC_EIO, "cannot write %s: %s", path, strerror(e));
    }
    if (close(fd) < 0)
        return pc_err_set(err, PC_EIO, "cannot write %s: %s", path, strerror(errno));
    return 0;
}

/*
 * A regular file, new or replaced atomically (pc_file_replace): path holds
 * either the old report or the whole new one. A new file gets 0666 less the
 * umask; a replaced one keeps its mode (and owner, where permitted).
 */
static int write_replace(const char *path, const struct stat *old, const struct pc_buf *b,
                         struct pc_err *err)
{
    mode_t mask, mode;

    if (old != NULL) {
        mode = old->st_mode & 07777;
    } else {
        mask = umask(0); /* no other thread creates files now */
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (pc_file_replace(path, b->data, b->len, mode, old) < 0)
        return pc_err_set(err, errno == ENOMEM ? PC_ENOMEM : PC_EIO, "cannot write %s: %s", path,
                          strerror(errno));
    return 0;
}

/*
 * Open a FIFO or device for writing. A FIFO's open waits for a reader; a
 * signal meanwhile (a second, different one after the one that stopped the
 * check) does not lose the report to stdout: the wait goes on. The same
 * signal twice ends the program (signals.c).
 */
static int open_through(const char *path)
{
    int fd;

    while ((fd = open(path, O_WRONLY | O_NOCTTY)) < 0 && errno == EINTR)
        ;
    return fd;
}

static int write_file(const char *path, const struct pc_buf *b, struct pc_err *err)
{
    char *real = resolve_links(path);
    struct stat st;
    int rc, fd;

    if (real == NULL)
        return pc_err_set(err, PC_EIO, "cannot write %s: %s", path, strerror(errno));
    if (stat(real, &st) < 0) {
        rc = errno == ENOENT
                 ? write_replace(real, NULL, b, err)
                 : pc_err_set(err, PC_EIO, "cannot write %s: %s", path, strerror(errno));
    } else if (S_ISREG(st.st_mode)) {
        rc = write_replace(real, &st, b, err);
    } else if (S_ISDIR(st.st_mode)) {
        rc = pc_err_set(err, PC_EIO, "cannot write %s: %s", path, strerror(EISDIR));
    } else if ((fd = open_through(real)) < 0) {
        rc = pc_err_set(err, PC_EIO, "cannot write %s: %s", path, strerror(errno));
    } else if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        close(fd); /* it became a regular file meanwhile: replace it after all */
        rc = write_replace(real, &st, b, err);
    } else {
        rc = write_through(fd, path, b, err);
    }
    free(real);
    return rc;
}

/*
 * The first error of a write to stdout, kept until pc_cli_close_stdout()
 * reports it: a later flush may fail with another errno, or not at all.
 */
static int stdout_errno;

int pc_output_write(const char *path, const struct pc_buf *b, struct pc_err *err)
{
    int rc = 0;

    if (path != NULL && strcmp(path, "-") != 0) {
        rc = write_file(path, b, err);
        if (rc == 0)
            return 0;
    }
    if (b->len > 0 && fwrite(b->data, 1, b->len, stdout) != b->len && stdout_errno == 0)
        stdout_errno = errno != 0 ? errno : EIO;
    return rc;
}

void pc_output_printed(void)
{
    if (ferror(stdout) && stdout_errno == 0)
        stdout_errno = errno != 0 ? errno : EIO;
}

void pc_output_flush(void)
{
    errno = 0;
    if (fflush(stdout) != 0 && stdout_errno == 0)
        stdout_errno = errno != 0 ? errno : EIO;
}

int pc_cli_close_stdout(int status)
{
    int e = 0;

    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout))
        e = errno != 0 ? errno : EIO;
    errno = 0;
    if (fclose(stdout) != 0 && e == 0)
        e = errno != 0 ? errno : EIO;
    if (stdout_errno != 0)
        e = stdout_errno;
    if (e == 0)
        return status;
    pc_cli_error("cannot write to standard output: %s", strerror(e));
    return PC_EXIT_IOERR;
}
