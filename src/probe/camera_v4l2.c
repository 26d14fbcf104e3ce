/*
 * camera_v4l2.c - cameras through V4L2 on Linux (see camera.h).
 *
 * Listing: every ROOT/dev/videoN, opened non-blocking; VIDIOC_QUERYCAP
 * (card, driver, bus; nodes without video capture are metadata nodes and
 * left out), VIDIOC_ENUM_FMT, VIDIOC_ENUM_FRAMESIZES and
 * VIDIOC_ENUM_FRAMEINTERVALS for the formats, sizes and the largest size
 * offered at 15 fps or more. Grabbing: VIDIOC_S_FMT to that size,
 * VIDIOC_REQBUFS (memory-mapped buffers), VIDIOC_QBUF, VIDIOC_STREAMON,
 * poll and VIDIOC_DQBUF until about 0.3 s of frames came, then
 * VIDIOC_STREAMOFF. EBUSY anywhere on the way means another application
 * holds the camera; EACCES/EPERM at open is a permission problem.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "precall/clock.h"
#include "probe/camera.h"

#define MIN_FPS     15.0
#define N_BUFFERS   3
#define SETTLE_NS   (300 * PC_NS_PER_MS) /* frames after the first, for exposure to settle */
#define FRAMES_MAX  12
#define GRAB_MAX_NS (2 * PC_NS_PER_S)

static int sys_open(void *u, const char *path, int flags)
{
    (void)u;
    return open(path, flags | O_CLOEXEC);
}

static int sys_close(void *u, int fd)
{
    (void)u;
    return close(fd);
}

static int sys_ioctl(void *u, int fd, unsigned long req, void *arg)
{
    int rc;

    (void)u;
    do
        rc = ioctl(fd, req, arg);
    while (rc < 0 && errno == EINTR);
    return rc;
}

static void *sys_mmap(void *u, int fd, size_t len, off_t off)
{
    (void)u;
    return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);
}

static int sys_munmap(void *u, void *p, size_t len)
{
    (void)u;
    return munmap(p, len);
}

static int sys_poll(void *u, int fd, int timeout_ms)
{
    struct pollfd p = {fd, POLLIN, 0};

    (void)u;
    return poll(&p, 1, timeout_ms);
}

static const struct pc_v4l2_ops system_ops = {NULL,     sys_open,   sys_close, sys_ioctl,
                                              sys_mmap, sys_munmap, sys_poll};

const struct pc_v4l2_ops *pc_v4l2_system(void)
{
    return &system_ops;
}

int pc_camera_supported(void)
{
    return 1;
}

const char *pc_camera_state_name(enum pc_camera_state s)
{
    static const char *const names[] = {"ok", "busy", "no-permission", "no-frames", "failed"};

    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "failed";
}

static int xioctl(const struct pc_v4l2_ops *ops, int fd, unsigned long req, void *arg)
{
    return ops->ioctl(ops->user, fd, req, arg);
}

static void fourcc_text(uint32_t f, char out[5])
{
    for (int i = 0; i < 4; i++) {
        char c = (char)((f >> (8 * i)) & 0xff);

        out[i] = c > ' ' && c < 127 ? c : '?';
    }
    out[4] = '\0';
}

static void appendf(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void appendf(char *buf, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(buf);
    va_list ap;

    if (n + 1 >= cap)
        return;
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
}

/* The highest frame rate offered for one size. */
static double best_fps(const struct pc_v4l2_ops *ops, int fd, uint32_t fourcc, uint32_t w,
                       uint32_t h)
{
    double best = 0;

    for (uint32_t i = 0; i < 64; i++) {
        struct v4l2_frmivalenum fi = {.index = i, .pixel_format = fourcc, .width = w, .height = h};
        const struct v4l2_fract *f;

        if (xioctl(ops, fd, VIDIOC_ENUM_FRAMEINTERVALS, &fi) < 0)
            break;
        f = fi.type == V4L2_FRMIVAL_TYPE_DISCRETE ? &fi.discrete : &fi.stepwise.min;
        if (f->numerator > 0 && (double)f->denominator / f->numerator > best)
            best = (double)f->denominator / f->numerator;
        if (fi.type != V4L2_FRMIVAL_TYPE_DISCRETE)
            break;
    }
    return best;
}

static void consider(struct pc_camera *c, uint32_t fourcc, uint32_t w, uint32_t h, double fps)
{
    if (fps < MIN_FPS)
        return;
    if ((long)w * h > (long)c->max_w * c->max_h ||
        ((long)w * h == (long)c->max_w * c->max_h && fps > c->max_fps)) {
        c->max_w = (int)w;
        c->max_h = (int)h;
        c->max_fps = fps;
        c->max_fourcc = fourcc;
    }
}

static void enum_formats(const struct pc_v4l2_ops *ops, int fd, struct pc_camera *c)
{
    for (uint32_t i = 0; i < 32; i++) {
        struct v4l2_fmtdesc fd_ = {.index = i, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE};
        char fcc[5];

        if (xioctl(ops, fd, VIDIOC_ENUM_FMT, &fd_) < 0)
            break;
        fourcc_text(fd_.pixelformat, fcc);
        appendf(c->formats, sizeof(c->formats), "%s%s", c->formats[0] ? ", " : "", fcc);
        for (uint32_t k = 0; k < 64; k++) {
            struct v4l2_frmsizeenum fs = {.index = k, .pixel_format = fd_.pixelformat};
            uint32_t w, h;
            double fps;

            if (xioctl(ops, fd, VIDIOC_ENUM_FRAMESIZES, &fs) < 0)
                break;
            if (fs.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
                w = fs.discrete.width;
                h = fs.discrete.height;
            } else {
                w = fs.stepwise.max_width;
                h = fs.stepwise.max_height;
            }
            fps = best_fps(ops, fd, fd_.pixelformat, w, h);
            appendf(c->formats, sizeof(c->formats), " %ux%u@%.0f", w, h, fps);
            consider(c, fd_.pixelformat, w, h, fps);
            if (fs.type != V4L2_FRMSIZE_TYPE_DISCRETE)
                break;
        }
    }
}

static void set_state(struct pc_camera *c, enum pc_camera_state st, int err, const char *what)
{
    c->state = st;
    c->err = err;
    if (st == PC_CAMERA_BUSY)
        snprintf(c->why, sizeof(c->why), "%s is in use by another application (%s: %s)", c->path,
                 what, strerror(err));
    else if (st == PC_CAMERA_NO_PERMISSION)
        snprintf(c->why, sizeof(c->why),
                 "no permission to open %s (%s); the user needs to be in the 'video' group",
                 c->path, strerror(err));
    else
        snprintf(c->why, sizeof(c->why), "%s: %s: %s", c->path, what,
                 err ? strerror(err) : "no frame came");
}

static int open_node(const char *root, const struct pc_v4l2_ops *ops, struct pc_camera *c)
{
    char full[512];
    int fd;

    snprintf(full, sizeof(full), "%s%s", root, c->path);
    fd = ops->open(ops->user, full, O_RDWR | O_NONBLOCK);
    if (fd < 0)
        set_state(c,
                  errno == EACCES || errno == EPERM ? PC_CAMERA_NO_PERMISSION
                  : errno == EBUSY                  ? PC_CAMERA_BUSY
                                                    : PC_CAMERA_FAILED,
                  errno, "open");
    return fd;
}

/* The sysfs name of a node we may not open, so the listing still says what it is. */
static void sysfs_name(const char *root, const char *node, char *out, size_t cap)
{
    char p[512];
    FILE *f;

    snprintf(p, sizeof(p), "%s/sys/class/video4linux/%s/name", root, node);
    if ((f = fopen(p, "re")) == NULL)
        return;
    if (fgets(out, (int)cap, f) != NULL)
        out[strcspn(out, "\n")] = '\0';
    fclose(f);
}

static int node_cmp(const void *a, const void *b)
{
    return atoi(*(const char *const *)a + 5) - atoi(*(const char *const *)b + 5);
}

size_t pc_camera_list(const char *root, const struct pc_v4l2_ops *ops, struct pc_camera *out,
                      size_t cap)
{
    char dir[512], *names[64];
    size_t n_names = 0, n = 0;
    DIR *d;
    struct dirent *e;

    if (root == NULL || strcmp(root, "/") == 0)
        root = "";
    snprintf(dir, sizeof(dir), "%s/dev", root);
    if ((d = opendir(dir)) == NULL)
        return 0;
    while ((e = readdir(d)) != NULL && n_names < 64)
        if (strncmp(e->d_name, "video", 5) == 0 && e->d_name[5] >= '0' && e->d_name[5] <= '9' &&
            strspn(e->d_name + 5, "0123456789") == strlen(e->d_name + 5))
            names[n_names++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n_names, sizeof(names[0]), node_cmp);
    for (size_t i = 0; i < n_names; i++) {
        struct pc_camera *c = &out[n];
        struct v4l2_capability cap_ = {0};
        uint32_t caps;
        int fd;

        if (names[i] == NULL || n >= cap)
            continue;
        memset(c, 0, sizeof(*c));
        snprintf(c->path, sizeof(c->path), "/dev/%s", names[i]);
        fd = open_node(root, ops, c);
        if (fd < 0) {
            sysfs_name(root, names[i], c->name, sizeof(c->name));
            n++;
            continue;
        }
        if (xioctl(ops, fd, VIDIOC_QUERYCAP, &cap_) < 0) {
            ops->close(ops->user, fd);
            continue; /* not a V4L2 node */
        }
        caps = cap_.capabilities & V4L2_CAP_DEVICE_CAPS ? cap_.device_caps : cap_.capabilities;
        if (!(caps & V4L2_CAP_VIDEO_CAPTURE)) {
            ops->close(ops->user, fd);
            continue; /* a metadata or output node */
        }
        snprintf(c->name, sizeof(c->name), "%.*s", (int)sizeof(cap_.card), (char *)cap_.card);
        snprintf(c->driver, sizeof(c->driver), "%.*s", (int)sizeof(cap_.driver),
                 (char *)cap_.driver);
        snprintf(c->bus, sizeof(c->bus), "%.*s", (int)sizeof(cap_.bus_info), (char *)cap_.bus_info);
        enum_formats(ops, fd, c);
        ops->close(ops->user, fd);
        c->state = PC_CAMERA_OK;
        n++;
    }
    for (size_t i = 0; i < n_names; i++)
        free(names[i]);
    return n;
}

struct mapped {
    void *p;
    size_t len;
};

void pc_camera_grab(const char *root, const struct pc_v4l2_ops *ops, struct pc_camera *c,
                    int64_t deadline_ns)
{
    struct v4l2_format fmt = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE};
    struct v4l2_requestbuffers req = {
        .count = N_BUFFERS, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP};
    struct mapped maps[N_BUFFERS] = {{0}};
    enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
    int64_t first = 0, end = pc_clock_now_ns() + GRAB_MAX_NS;
    int fd, streaming = 0, frames = 0;
    uint8_t *last = NULL;
    size_t last_len = 0;

    if (root == NULL || strcmp(root, "/") == 0)
        root = "";
    if (end > deadline_ns)
        end = deadline_ns;
    c->grabbed = 1;
    if ((fd = open_node(root, ops, c)) < 0)
        return;
    if (xioctl(ops, fd, VIDIOC_G_FMT, &fmt) < 0) {
        set_state(c, errno == EBUSY ? PC_CAMERA_BUSY : PC_CAMERA_FAILED, errno, "VIDIOC_G_FMT");
        goto out;
    }
    if (c->max_w > 0) {
        fmt.fmt.pix.width = (uint32_t)c->max_w;
        fmt.fmt.pix.height = (uint32_t)c->max_h;
        fmt.fmt.pix.pixelformat = c->max_fourcc;
        fmt.fmt.pix.field = V4L2_FIELD_ANY;
        if (xioctl(ops, fd, VIDIOC_S_FMT, &fmt) < 0) {
            set_state(c, errno == EBUSY ? PC_CAMERA_BUSY : PC_CAMERA_FAILED, errno, "VIDIOC_S_FMT");
            goto out;
        }
    }
    c->frame_w = (int)fmt.fmt.pix.width;
    c->frame_h = (int)fmt.fmt.pix.height;
    c->frame_fourcc = fmt.fmt.pix.pixelformat;
    if (xioctl(ops, fd, VIDIOC_REQBUFS, &req) < 0 || req.count == 0) {
        set_state(c, errno == EBUSY ? PC_CAMERA_BUSY : PC_CAMERA_FAILED, errno, "VIDIOC_REQBUFS");
        goto out;
    }
    if (req.count > N_BUFFERS)
        req.count = N_BUFFERS;
    for (uint32_t i = 0; i < req.count; i++) {
        struct v4l2_buffer b = {
            .index = i, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP};

        if (xioctl(ops, fd, VIDIOC_QUERYBUF, &b) < 0) {
            set_state(c, PC_CAMERA_FAILED, errno, "VIDIOC_QUERYBUF");
            goto out;
        }
        maps[i].p = ops->mmap(ops->user, fd, b.length, (off_t)b.m.offset);
        if (maps[i].p == MAP_FAILED) {
            maps[i].p = NULL;
            set_state(c, PC_CAMERA_FAILED, errno, "mmap");
            goto out;
        }
        maps[i].len = b.length;
        if (xioctl(ops, fd, VIDIOC_QBUF, &b) < 0) {
            set_state(c, PC_CAMERA_FAILED, errno, "VIDIOC_QBUF");
            goto out;
        }
    }
    if (xioctl(ops, fd, VIDIOC_STREAMON, &type) < 0) {
        /* ENOSPC: the USB bus has no room, often because another camera stream holds it. */
        set_state(c, errno == EBUSY || errno == ENOSPC ? PC_CAMERA_BUSY : PC_CAMERA_FAILED, errno,
                  "VIDIOC_STREAMON");
        goto out;
    }
    streaming = 1;
    while (frames < FRAMES_MAX) {
        struct v4l2_buffer b = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP};
        int64_t now = pc_clock_now_ns(), left = end - now;
        int rc;

        if (left <= 0 || (first > 0 && now - first >= SETTLE_NS))
            break;
        rc = ops->poll(ops->user, fd, (int)(left / PC_NS_PER_MS) + 1);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            break;
        if (xioctl(ops, fd, VIDIOC_DQBUF, &b) < 0) {
            if (errno == EAGAIN)
                continue;
            break;
        }
        if (b.index < req.count && b.bytesused > 0 && !(b.flags & V4L2_BUF_FLAG_ERROR)) {
            uint8_t *copy = malloc(b.bytesused);

            if (copy != NULL) {
                memcpy(copy, maps[b.index].p,
                       b.bytesused < maps[b.index].len ? b.bytesused : maps[b.index].len);
                free(last);
                last = copy;
                last_len = b.bytesused < maps[b.index].len ? b.bytesused : maps[b.index].len;
            }
            if (frames++ == 0)
                first = pc_clock_now_ns();
        }
        xioctl(ops, fd, VIDIOC_QBUF, &b);
    }
    if (last == NULL) {
        set_state(c, PC_CAMERA_NO_FRAMES, 0, "streaming");
        goto out;
    }
    c->delivered = 1;
    c->state = PC_CAMERA_OK;
    pc_picture_analyse(c->frame_fourcc, last, last_len, c->frame_w, c->frame_h,
                       (int)fmt.fmt.pix.bytesperline, &c->picture);
out:
    if (streaming)
        xioctl(ops, fd, VIDIOC_STREAMOFF, &type);
    for (int i = 0; i < N_BUFFERS; i++)
        if (maps[i].p != NULL)
            ops->munmap(ops->user, maps[i].p, maps[i].len);
    free(last);
    ops->close(ops->user, fd);
}
