/* camera_other.c - systems without V4L2 (see camera.h). */
#include <string.h>

#include "probe/camera.h"

const struct pc_v4l2_ops *pc_v4l2_system(void)
{
    return NULL;
}

int pc_camera_supported(void)
{
    return 0;
}

const char *pc_camera_state_name(enum pc_camera_state s)
{
    (void)s;
    return "failed";
}

size_t pc_camera_list(const char *root, const struct pc_v4l2_ops *ops, struct pc_camera *out,
                      size_t cap)
{
    (void)root;
    (void)ops;
    (void)out;
    (void)cap;
    return 0;
}

void pc_camera_grab(const char *root, const struct pc_v4l2_ops *ops, struct pc_camera *c,
                    int64_t deadline_ns)
{
    (void)root;
    (void)ops;
    (void)deadline_ns;
    c->grabbed = 1;
}
