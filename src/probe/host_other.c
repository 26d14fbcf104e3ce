/* host_other.c - systems without a host reader (see host.h). */
#include <string.h>

#include "probe/host.h"

int pc_host_supported(void)
{
    return 0;
}

const struct pc_wext_ops *pc_wext_system(void)
{
    return NULL;
}

int pc_host_read(const char *root, const struct pc_wext_ops *wext, int family, struct pc_host *h,
                 struct pc_err *err)
{
    (void)root;
    (void)wext;
    (void)family;
    memset(h, 0, sizeof(*h));
    return pc_err_set(err, PC_EIO, "not supported on this system");
}
