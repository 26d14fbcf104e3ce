/*
 * v4l2_double.h - a test double for the camera code's V4L2 operations
 * (probe/camera.h): cameras described by a table answer QUERYCAP, the
 * format, size and interval enumerations, S_FMT, buffers and streaming,
 * and deliver frames of known brightness (a centre third of one luma on a
 * border of another) in YUYV, NV12 or MJPEG (encoded with libjpeg).
 * Failures are chosen per camera: errno at open, EBUSY at STREAMON, no
 * frames. Header-only, for the unit tests.
 */
#ifndef PRECALL_TEST_V4L2_DOUBLE_H
#define PRECALL_TEST_V4L2_DOUBLE_H

#include <errno.h>
#include <linux/videodev2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifdef PRECALL_HAVE_JPEG
#include <jpeglib.h>
#endif

#include "probe/camera.h"

struct fake_cam {
    const char *node; /* "video0": matched against the end of the path */
    int open_errno;
    int metadata; /* not a capture node */
    const char *card;
    uint32_t fourcc;
    uint32_t w[3], h[3], fps[3];
    int n_sizes;
    int streamon_errno;
    int no_frames;
    int centre, border; /* luma of the frame's centre third and of the rest */
};

struct fake_v4l2 {
    const struct fake_cam *cams;
    int n;
    const struct fake_cam *open; /* the camera of the open fd (one at a time) */
    uint32_t w, h, fourcc, bpl, size;
    uint8_t *buf[2];
    int opens, closes, maps, unmaps;
};

static const struct fake_cam *fake_find(struct fake_v4l2 *f, const char *path)
{
    size_t n = strlen(path);

    for (int i = 0; i < f->n; i++) {
        size_t k = strlen(f->cams[i].node);

        if (n >= k && strcmp(path + n - k, f->cams[i].node) == 0 && path[n - k - 1] == '/')
            return &f->cams[i];
    }
    return NULL;
}

static int fake_open(void *u, const char *path, int flags)
{
    struct fake_v4l2 *f = u;
    const struct fake_cam *c = fake_find(f, path);

    (void)flags;
    if (c == NULL) {
        errno = ENOENT;
        return -1;
    }
    if (c->open_errno) {
        errno = c->open_errno;
        return -1;
    }
    f->open = c;
    f->opens++;
    f->w = 0; /* a fresh open starts from the camera's first size */
    return 100 + (int)(c - f->cams);
}

static int fake_close(void *u, int fd)
{
    struct fake_v4l2 *f = u;

    (void)fd;
    f->open = NULL;
    f->closes++;
    return 0;
}

static uint8_t fake_luma(const struct fake_v4l2 *f, uint32_t x, uint32_t y)
{
    int in = x >= f->w / 3 && x < f->w - f->w / 3 && y >= f->h / 3 && y < f->h - f->h / 3;

    return (uint8_t)(in ? f->open->centre : f->open->border);
}

static uint32_t fake_fill(struct fake_v4l2 *f, uint8_t *buf)
{
    if (f->fourcc == V4L2_PIX_FMT_YUYV) {
        for (uint32_t y = 0; y < f->h; y++)
            for (uint32_t x = 0; x < f->w; x++) {
                buf[y * f->bpl + 2 * x] = fake_luma(f, x, y);
                buf[y * f->bpl + 2 * x + 1] = 128;
            }
        return f->bpl * f->h;
    }
    if (f->fourcc == V4L2_PIX_FMT_NV12) {
        for (uint32_t y = 0; y < f->h; y++)
            for (uint32_t x = 0; x < f->w; x++)
                buf[y * f->bpl + x] = fake_luma(f, x, y);
        memset(buf + f->bpl * f->h, 128, f->bpl * f->h / 2);
        return f->bpl * f->h * 3 / 2;
    }
#ifdef PRECALL_HAVE_JPEG
    {
        struct jpeg_compress_struct cinfo;
        struct jpeg_error_mgr jerr;
        unsigned char *out = NULL;
        unsigned long len = 0;
        uint8_t *row = malloc(f->w);

        cinfo.err = jpeg_std_error(&jerr);
        jpeg_create_compress(&cinfo);
        jpeg_mem_dest(&cinfo, &out, &len);
        cinfo.image_width = f->w;
        cinfo.image_height = f->h;
        cinfo.input_components = 1;
        cinfo.in_color_space = JCS_GRAYSCALE;
        jpeg_set_defaults(&cinfo);
        jpeg_set_quality(&cinfo, 90, TRUE);
        jpeg_start_compress(&cinfo, TRUE);
        while (cinfo.next_scanline < cinfo.image_height) {
            for (uint32_t x = 0; x < f->w; x++)
                row[x] = fake_luma(f, x, cinfo.next_scanline);
            jpeg_write_scanlines(&cinfo, &row, 1);
        }
        jpeg_finish_compress(&cinfo);
        jpeg_destroy_compress(&cinfo);
        free(row);
        if (len > f->size)
            len = f->size;
        memcpy(buf, out, len);
        free(out);
        return (uint32_t)len;
    }
#else
    memset(buf, 0, f->size);
    return f->size;
#endif
}

static int fake_ioctl(void *u, int fd, unsigned long req, void *arg)
{
    struct fake_v4l2 *f = u;
    const struct fake_cam *c = f->open;

    (void)fd;
    if (req == VIDIOC_QUERYCAP) {
        struct v4l2_capability *cap = arg;

        memset(cap, 0, sizeof(*cap));
        snprintf((char *)cap->card, sizeof(cap->card), "%s", c->card);
        snprintf((char *)cap->driver, sizeof(cap->driver), "uvcvideo");
        snprintf((char *)cap->bus_info, sizeof(cap->bus_info), "usb-0000:00:14.0-5");
        cap->capabilities = V4L2_CAP_DEVICE_CAPS | V4L2_CAP_VIDEO_CAPTURE | V4L2_CAP_META_CAPTURE;
        cap->device_caps = c->metadata ? V4L2_CAP_META_CAPTURE : V4L2_CAP_VIDEO_CAPTURE;
        return 0;
    }
    if (req == VIDIOC_ENUM_FMT) {
        struct v4l2_fmtdesc *d = arg;

        if (d->index > 0) {
            errno = EINVAL;
            return -1;
        }
        d->pixelformat = c->fourcc;
        return 0;
    }
    if (req == VIDIOC_ENUM_FRAMESIZES) {
        struct v4l2_frmsizeenum *s = arg;

        if ((int)s->index >= c->n_sizes) {
            errno = EINVAL;
            return -1;
        }
        s->type = V4L2_FRMSIZE_TYPE_DISCRETE;
        s->discrete.width = c->w[s->index];
        s->discrete.height = c->h[s->index];
        return 0;
    }
    if (req == VIDIOC_ENUM_FRAMEINTERVALS) {
        struct v4l2_frmivalenum *iv = arg;

        if (iv->index > 0) {
            errno = EINVAL;
            return -1;
        }
        for (int i = 0; i < c->n_sizes; i++)
            if (c->w[i] == iv->width && c->h[i] == iv->height) {
                iv->type = V4L2_FRMIVAL_TYPE_DISCRETE;
                iv->discrete.numerator = 1;
                iv->discrete.denominator = c->fps[i];
                return 0;
            }
        errno = EINVAL;
        return -1;
    }
    if (req == VIDIOC_G_FMT || req == VIDIOC_S_FMT) {
        struct v4l2_format *fm = arg;

        if (req == VIDIOC_S_FMT) {
            f->w = fm->fmt.pix.width;
            f->h = fm->fmt.pix.height;
            f->fourcc = fm->fmt.pix.pixelformat;
        } else if (f->w == 0) {
            f->w = c->w[0];
            f->h = c->h[0];
            f->fourcc = c->fourcc;
        }
        f->bpl = f->fourcc == V4L2_PIX_FMT_YUYV   ? 2 * f->w
                 : f->fourcc == V4L2_PIX_FMT_NV12 ? f->w
                                                  : 0;
        f->size = f->fourcc == V4L2_PIX_FMT_YUYV ? 2 * f->w * f->h : f->w * f->h * 3 / 2 + 4096;
        fm->fmt.pix.width = f->w;
        fm->fmt.pix.height = f->h;
        fm->fmt.pix.pixelformat = f->fourcc;
        fm->fmt.pix.bytesperline = f->bpl;
        fm->fmt.pix.sizeimage = f->size;
        return 0;
    }
    if (req == VIDIOC_REQBUFS) {
        ((struct v4l2_requestbuffers *)arg)->count = 2;
        return 0;
    }
    if (req == VIDIOC_QUERYBUF) {
        struct v4l2_buffer *b = arg;

        b->length = f->size;
        b->m.offset = b->index * 4096;
        return 0;
    }
    if (req == VIDIOC_QBUF || req == VIDIOC_STREAMOFF)
        return 0;
    if (req == VIDIOC_STREAMON) {
        if (c->streamon_errno) {
            errno = c->streamon_errno;
            return -1;
        }
        return 0;
    }
    if (req == VIDIOC_DQBUF) {
        struct v4l2_buffer *b = arg;

        if (c->no_frames) {
            errno = EAGAIN;
            return -1;
        }
        b->index = 0;
        b->flags = 0;
        b->bytesused = fake_fill(f, f->buf[0]);
        return 0;
    }
    errno = ENOTTY;
    return -1;
}

static void *fake_mmap(void *u, int fd, size_t len, off_t off)
{
    struct fake_v4l2 *f = u;
    uint8_t *p = calloc(1, len);

    (void)fd;
    if (p == NULL)
        return MAP_FAILED;
    f->buf[off / 4096] = p;
    f->maps++;
    return p;
}

static int fake_munmap(void *u, void *p, size_t len)
{
    struct fake_v4l2 *f = u;

    (void)len;
    free(p);
    f->unmaps++;
    return 0;
}

static int fake_poll(void *u, int fd, int timeout_ms)
{
    struct fake_v4l2 *f = u;

    (void)fd;
    (void)timeout_ms;
    return f->open->no_frames ? 0 : 1;
}

static inline struct pc_v4l2_ops fake_ops(struct fake_v4l2 *f)
{
    struct pc_v4l2_ops o = {f,         fake_open,   fake_close, fake_ioctl,
                            fake_mmap, fake_munmap, fake_poll};

    return o;
}

#endif
