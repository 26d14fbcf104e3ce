/*
 * test_camera.c - the camera code (probe/camera.h) through the V4L2 test
 * double: listing (metadata nodes left out, node order, largest size at
 * 15 fps or more), grabbing a frame, busy, permission and no-frame
 * cameras; and the picture judged from frames of known brightness with a
 * dark centre on a bright border in YUYV, NV12 and MJPEG.
 */
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "precall/clock.h"
#include "v4l2_double.h"

static char root[64];

static void touch(const char *node)
{
    char p[128];
    int fd;

    snprintf(p, sizeof(p), "%s/dev/%s", root, node);
    fd = open(p, O_CREAT | O_WRONLY, 0644);
    if (fd >= 0)
        close(fd);
}

static void listing(void)
{
    static const struct fake_cam cams[] = {
        {.node = "video0",
         .card = "Integrated Webcam",
         .fourcc = V4L2_PIX_FMT_YUYV,
         .w = {640, 1280, 1920},
         .h = {480, 720, 1080},
         .fps = {30, 10, 5},
         .n_sizes = 3,
         .centre = 100,
         .border = 100},
        {.node = "video1", .metadata = 1, .card = "Integrated Webcam"},
        {.node = "video10",
         .card = "USB Camera",
         .fourcc = V4L2_PIX_FMT_MJPEG,
         .w = {1280},
         .h = {720},
         .fps = {30},
         .n_sizes = 1},
        {.node = "video2", .open_errno = EACCES},
    };
    struct fake_v4l2 f = {cams, 4, NULL, 0, 0, 0, 0, 0, {NULL, NULL}, 0, 0, 0, 0};
    struct pc_v4l2_ops ops = fake_ops(&f);
    struct pc_camera c[PC_CAMERAS_MAX];
    size_t n;

    touch("video0");
    touch("video1");
    touch("video10");
    touch("video2");
    touch("vbi0");
    n = pc_camera_list(root, &ops, c, PC_CAMERAS_MAX);
    CHECK(n == 3); /* video1 is a metadata node */
    CHECK(strcmp(c[0].path, "/dev/video0") == 0 && strcmp(c[0].name, "Integrated Webcam") == 0);
    CHECK(strcmp(c[0].driver, "uvcvideo") == 0 && strcmp(c[0].bus, "usb-0000:00:14.0-5") == 0);
    /* 1280x720 comes at 10 fps only: the largest at >= 15 fps is 640x480. */
    CHECK(c[0].max_w == 640 && c[0].max_h == 480 && c[0].max_fps == 30);
    CHECK(strcmp(c[0].formats, "YUYV 640x480@30 1280x720@10 1920x1080@5") == 0);
    /* Node order is numeric: video2 before video10. */
    CHECK(strcmp(c[1].path, "/dev/video2") == 0 && c[1].state == PC_CAMERA_NO_PERMISSION);
    CHECK(strstr(c[1].why, "no permission to open /dev/video2") != NULL);
    CHECK(strstr(c[1].why, "'video' group") != NULL);
    CHECK(strcmp(c[2].path, "/dev/video10") == 0 && c[2].max_h == 720);
    CHECK(f.opens == f.closes);
    /* The default camera delivers 640x480. */
    pc_camera_grab(root, &ops, &c[0], pc_clock_now_ns() + 5 * PC_NS_PER_S);
    CHECK(c[0].state == PC_CAMERA_OK && c[0].delivered);
    CHECK(c[0].frame_w == 640 && c[0].frame_h == 480);
    CHECK(c[0].picture.analysed && c[0].picture.luma == 100);
    CHECK(f.maps == 2 && f.unmaps == 2 && f.opens == f.closes);
}

static void failures(void)
{
    static const struct fake_cam cams[] = {
        {.node = "video0",
         .card = "Busy Cam",
         .fourcc = V4L2_PIX_FMT_YUYV,
         .w = {1280},
         .h = {720},
         .fps = {30},
         .n_sizes = 1,
         .streamon_errno = EBUSY},
        {.node = "video1",
         .card = "Silent Cam",
         .fourcc = V4L2_PIX_FMT_YUYV,
         .w = {1280},
         .h = {720},
         .fps = {30},
         .n_sizes = 1,
         .no_frames = 1},
    };
    struct fake_v4l2 f = {cams, 2, NULL, 0, 0, 0, 0, 0, {NULL, NULL}, 0, 0, 0, 0};
    struct pc_v4l2_ops ops = fake_ops(&f);
    struct pc_camera c[PC_CAMERAS_MAX];
    size_t n = pc_camera_list(root, &ops, c, PC_CAMERAS_MAX);

    CHECK(n == 2);
    pc_camera_grab(root, &ops, &c[0], pc_clock_now_ns() + 5 * PC_NS_PER_S);
    CHECK(c[0].state == PC_CAMERA_BUSY && !c[0].delivered);
    CHECK(strcmp(pc_camera_state_name(c[0].state), "busy") == 0);
    CHECK(strstr(c[0].why, "in use by another application") != NULL);
    pc_camera_grab(root, &ops, &c[1], pc_clock_now_ns() + 5 * PC_NS_PER_S);
    CHECK(c[1].state == PC_CAMERA_NO_FRAMES && !c[1].delivered);
    CHECK(f.maps == f.unmaps && f.opens == f.closes);
}

/* A dark centre (40) on a bright border (200) in each format, and uniform frames. */
static void picture(uint32_t fourcc, uint32_t w, uint32_t h, double tol)
{
    const struct fake_cam cams[] = {
        {.node = "video0",
         .card = "Cam",
         .fourcc = fourcc,
         .w = {w},
         .h = {h},
         .fps = {30},
         .n_sizes = 1,
         .centre = 40,
         .border = 200},
        {.node = "video1",
         .card = "Cam",
         .fourcc = fourcc,
         .w = {w},
         .h = {h},
         .fps = {30},
         .n_sizes = 1,
         .centre = 60,
         .border = 60},
    };
    struct fake_v4l2 f = {cams, 2, NULL, 0, 0, 0, 0, 0, {NULL, NULL}, 0, 0, 0, 0};
    struct pc_v4l2_ops ops = fake_ops(&f);
    struct pc_camera c[PC_CAMERAS_MAX];
    double centre_share;

    CHECK(pc_camera_list(root, &ops, c, PC_CAMERAS_MAX) == 2);
    pc_camera_grab(root, &ops, &c[0], pc_clock_now_ns() + 5 * PC_NS_PER_S);
    CHECK(c[0].delivered && c[0].frame_w == (int)w && c[0].frame_h == (int)h);
    CHECK(c[0].picture.analysed);
    CHECK_NEAR(c[0].picture.centre, 40, tol);
    CHECK_NEAR(c[0].picture.border, 200, tol);
    CHECK_NEAR(c[0].picture.ratio, 0.2, tol / 100);
    /* The mean: the centre third covers (w - 2 * (w / 3)) x (h - 2 * (h / 3)) of w x h. */
    centre_share = (double)(w - 2 * (w / 3)) * (h - 2 * (h / 3)) / ((double)w * h);
    CHECK_NEAR(c[0].picture.luma, 40 * centre_share + 200 * (1 - centre_share), tol + 1);
    CHECK_NEAR(c[0].picture.border, 200, tol); /* backlit by the therapy levels: test_score */
    pc_camera_grab(root, &ops, &c[1], pc_clock_now_ns() + 5 * PC_NS_PER_S);
    CHECK_NEAR(c[1].picture.luma, 60, tol);
    CHECK_NEAR(c[1].picture.border, 60, tol);
}

static void pure_analysis(void)
{
    uint8_t plane[12 * 6];
    struct pc_picture p;

    /* The centre third and the border apart (whether that is backlit: test_score). */
    memset(plane, 150, sizeof(plane));
    for (int y = 2; y < 4; y++)
        for (int x = 4; x < 8; x++)
            plane[y * 12 + x] = 10;
    pc_picture_plane(plane, 12, 6, 12, 1, &p);
    CHECK(p.analysed && p.centre == 10 && p.border == 150 && p.ratio == 10.0 / 150);
    pc_picture_analyse(V4L2_PIX_FMT_H264, plane, sizeof(plane), 12, 6, 12, &p);
    CHECK(!p.analysed && strstr(p.why, "H264") != NULL);
    pc_picture_analyse(V4L2_PIX_FMT_YUYV, plane, 10, 12, 6, 24, &p);
    CHECK(!p.analysed && strstr(p.why, "short") != NULL);
#ifdef PRECALL_HAVE_JPEG
    pc_picture_analyse(V4L2_PIX_FMT_MJPEG, plane, sizeof(plane), 12, 6, 0, &p);
    CHECK(!p.analysed && strstr(p.why, "could not be decoded") != NULL);
#else
    pc_picture_analyse(V4L2_PIX_FMT_MJPEG, plane, sizeof(plane), 12, 6, 0, &p);
    CHECK(!p.analysed && strstr(p.why, "need libjpeg") != NULL);
#endif
}

int main(void)
{
    char p[128];

    snprintf(root, sizeof(root), "/tmp/precall-cam-XXXXXX");
    if (mkdtemp(root) == NULL)
        return 1;
    snprintf(p, sizeof(p), "%s/dev", root);
    mkdir(p, 0755);
    touch("video0");
    touch("video1");
    failures();
    picture(V4L2_PIX_FMT_YUYV, 1280, 720, 0);
    picture(V4L2_PIX_FMT_NV12, 640, 360, 0);
#ifdef PRECALL_HAVE_JPEG
    picture(V4L2_PIX_FMT_MJPEG, 1280, 720, 3);
#endif
    listing();
    pure_analysis();
    snprintf(p, sizeof(p), "rm -rf '%s'", root);
    if (system(p) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    return check_done();
}
