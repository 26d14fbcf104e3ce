/* host_other.c - systems without a host reader (see host.h). */
#include <string.h>

#include "probe/host.h"

int pc_host_supported(void)
{
    return 0;
}

int pc_host_read(const char *root, int family, struct pc_host *h, struct pc_err *err)
{
    (void)root;
    (void)family;
    memset(h, 0, sizeof(*h));
    return pc_err_set(err, PC_EIO, "not supported on this system");
}
