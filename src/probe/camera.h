/*
 * camera.h - cameras: list them, grab a frame from the default one, and
 * judge the picture.
 *
 * The V4L2 calls go through a small operations table (struct pc_v4l2_ops)
 * so that a test double can answer them; pc_v4l2_system() is the real one.
 * Its functions behave like the system calls: -1 (MAP_FAILED for mmap)
 * with errno set on failure. Device nodes are found as ROOT/dev/videoN.
 * Everything here fills plain values the caller owns; the Linux code is in
 * camera_v4l2.c, camera_other.c says "not supported" elsewhere.
 */
#ifndef PRECALL_PROBE_CAMERA_H
#define PRECALL_PROBE_CAMERA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pc_v4l2_ops {
    void *user;
    int (*open)(void *user, const char *path, int flags);
    int (*close)(void *user, int fd);
    int (*ioctl)(void *user, int fd, unsigned long request, void *arg);
    void *(*mmap)(void *user, int fd, size_t len, off_t offset);
    int (*munmap)(void *user, void *addr, size_t len);
    int (*poll)(void *user, int fd, int timeout_ms); /* >0 a frame is ready, 0 none yet */
};

/* The real V4L2 (open, ioctl, mmap, poll of the system); NULL where there is none. */
const struct pc_v4l2_ops *pc_v4l2_system(void);

enum pc_camera_state {
    PC_CAMERA_OK,   /* delivered a frame (or, when not grabbed, answered) */
    PC_CAMERA_BUSY, /* another application holds it */
    PC_CAMERA_NO_PERMISSION,
    PC_CAMERA_NO_FRAMES, /* started but gave no frame in time */
    PC_CAMERA_FAILED
};

/* "ok", "busy", "no-permission", "no-frames", "failed" (camera_state values) */
const char *pc_camera_state_name(enum pc_camera_state s);

/* What a frame shows (see picture.c); luma 0-255. */
struct pc_picture {
    int analysed;  /* 0: not analysed, why says so */
    double luma;   /* mean luma of the frame */
    double centre; /* mean luma of the centre third (the face region) */
    double border; /* mean luma outside it */
    double ratio;  /* centre / border (NAN when the border is black) */
    char why[120];
};

#define PC_CAMERAS_MAX 8

struct pc_camera {
    char path[64]; /* /dev/video0 (without the test root) */
    char name[64]; /* V4L2 card name */
    char driver[32];
    char bus[64];
    enum pc_camera_state state;
    int err;           /* errno behind a failed state */
    char why[200];     /* for people, when not ok */
    char formats[400]; /* "YUYV 640x480@30 1280x720@10, MJPG 1280x720@30" */
    int max_w, max_h;  /* the largest size offered at >= 15 fps; 0 when none */
    double max_fps;
    uint32_t max_fourcc;
    int grabbed; /* a grab was tried */
    int delivered;
    int frame_w, frame_h;
    uint32_t frame_fourcc;
    struct pc_picture picture;
};

/*
 * The video capture devices under root (NULL: "/"), in node order, at most
 * cap. Metadata and output nodes are left out. A node that cannot be
 * opened is listed with its state (no-permission, busy, failed). Returns
 * the number listed.
 */
size_t pc_camera_list(const char *root, const struct pc_v4l2_ops *ops, struct pc_camera *out,
                      size_t cap);

/*
 * Open the camera, set its largest size at >= 15 fps, stream, wait for
 * frames until deadline_ns (about 0.3 s of frames, so exposure settles) and
 * analyse the last one. Sets state, delivered, frame_* and picture.
 */
void pc_camera_grab(const char *root, const struct pc_v4l2_ops *ops, struct pc_camera *c,
                    int64_t deadline_ns);

/* Is there camera support on this system? */
int pc_camera_supported(void);

/*
 * Analyse one frame: fourcc is a V4L2 pixel format (YUYV, NV12, MJPG);
 * stride the bytes per line of the luma plane. MJPEG needs libjpeg at build
 * time; without it, or for another format, analysed stays 0 and why says
 * so.
 */
void pc_picture_analyse(uint32_t fourcc, const uint8_t *buf, size_t len, int w, int h, int stride,
                        struct pc_picture *out);

/* Mean luma of a grey plane, its centre third and border (exposed for tests). */
void pc_picture_plane(const uint8_t *y, int w, int h, int stride, int step, struct pc_picture *out);

#endif
