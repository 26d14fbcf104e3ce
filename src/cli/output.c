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

int pc_output_write(const char *path, const struct pc_buf *b, struct pc_err *err)
{
    int rc = 0;

    if (path != NULL && strcmp(path, "-") != 0) {
        rc = write_atomic(path, b, err);
        if (rc == 0)
            return 0;
    }
    if (b->len > 0)
        fwrite(b->data, 1, b->len, stdout);
    if (fflush(stdout) != 0 && rc == 0)
        rc = pc_err_set(err, PC_EIO, "cannot write to standard output: %s", strerror(errno));
    return rc;
}
