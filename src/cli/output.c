/* output.c - atomic report files and the shared error line. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

void pc_cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("precall: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
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

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int write_atomic(const char *path, const struct pc_buf *b, struct pc_err *err)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 16);
    int fd, e;

    if (tmp == NULL)
        return pc_err_set(err, PC_ENOMEM, "out of memory");
    snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        e = errno;
        free(tmp);
        return pc_err_set(err, PC_EIO, "cannot write %s: %s", path, strerror(e));
    }
    if (write_all(fd, b->data ? b->data : "", b->len) < 0 || fsync(fd) < 0) {
        e = errno;
        close(fd);
        unlink(tmp);
        free(tmp);
        return pc_err_set(err, PC_EIO, "cannot write %s: %s", path, strerror(e));
    }
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        e = errno;
        unlink(tmp);
        free(tmp);
        return pc_err_set(err, PC_EIO, "cannot write %s: %s", path, strerror(e));
    }
    free(tmp);
    return 0;
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
        rc = write_atomic(path, b, err);
        if (rc == 0)
            return 0;
    }
    if (b->len > 0 && fwrite(b->data, 1, b->len, stdout) != b->len && stdout_errno == 0)
        stdout_errno = errno != 0 ? errno : EIO;
    return rc;
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
