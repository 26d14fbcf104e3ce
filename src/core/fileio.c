/* fileio.c - writing files whole (see precall/fileio.h). */
#include <errno.h>
#include <fcntl.h> /* O_* of the files made here */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "precall/fileio.h"

int pc_write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            errno = EIO;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int pc_file_replace(const char *path, const char *data, size_t len, mode_t mode,
                    const struct stat *owner)
{
    size_t n = strlen(path) + sizeof(".tmp.XXXXXX");
    char *tmp = malloc(n);
    int fd, e;

    if (tmp == NULL) {
        errno = ENOMEM;
        return -1;
    }
    snprintf(tmp, n, "%s.tmp.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        e = errno;
        free(tmp);
        errno = e;
        return -1;
    }
    /*
     * The owner and group of the file replaced: root keeps both; another
     * user cannot give a file away, but keeps its group when a member of it
     * (a report in a team's folder stays readable by the team).
     */
    if (owner != NULL && (owner->st_uid != geteuid() || owner->st_gid != getegid()) &&
        fchown(fd, owner->st_uid, owner->st_gid) < 0)
        (void)!fchown(fd, (uid_t)-1, owner->st_gid); /* best effort */
    if (fchmod(fd, mode) < 0 || pc_write_all(fd, data != NULL ? data : "", len) < 0 ||
        fsync(fd) < 0) {
        e = errno;
        close(fd);
        goto fail;
    }
    if (close(fd) < 0 || rename(tmp, path) < 0) {
        e = errno;
        goto fail;
    }
    free(tmp);
    return 0;
fail:
    unlink(tmp);
    free(tmp);
    errno = e;
    return -1;
}
