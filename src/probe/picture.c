/*
 * picture.c - what a camera frame shows: its brightness, and whether the
 * face region (the centre third) is much darker than the rest, as when a
 * window is behind the person (docs/thresholds.md, "Advice levels"). Pure: bytes in,
 * numbers out. YUYV and NV12 are read directly (their first plane or every
 * other byte is luma); MJPEG is decoded to greyscale with libjpeg(-turbo)
 * where it was found at build time (PRECALL_HAVE_JPEG), at 1/4 scale.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/camera.h"

#ifdef PRECALL_HAVE_JPEG
#include <jpeglib.h>
#include <setjmp.h>
#endif

#define FOURCC(a, b, c, d)                                                                         \
    ((uint32_t)(a) | ((uint32_t)(b) << 8) | ((uint32_t)(c) << 16) | ((uint32_t)(d) << 24))
#define FMT_YUYV FOURCC('Y', 'U', 'Y', 'V')
#define FMT_NV12 FOURCC('N', 'V', '1', '2')
#define FMT_MJPG FOURCC('M', 'J', 'P', 'G')
#define FMT_JPEG FOURCC('J', 'P', 'E', 'G')

void pc_picture_plane(const uint8_t *y, int w, int h, int stride, int step, struct pc_picture *out)
{
    double all = 0, centre = 0, border = 0;
    long n_all = 0, n_centre = 0, n_border = 0;
    int x0 = w / 3, x1 = w - w / 3, y0 = h / 3, y1 = h - h / 3;

    memset(out, 0, sizeof(*out));
    for (int r = 0; r < h; r += 2) {
        const uint8_t *row = y + (size_t)r * (size_t)stride;

        for (int c = 0; c < w; c += 2) {
            double v = row[(size_t)c * (size_t)step];
            int in = r >= y0 && r < y1 && c >= x0 && c < x1;

            all += v;
            n_all++;
            if (in) {
                centre += v;
                n_centre++;
            } else {
                border += v;
                n_border++;
            }
        }
    }
    if (n_all == 0) {
        snprintf(out->why, sizeof(out->why), "empty frame");
        return;
    }
    out->analysed = 1;
    out->luma = all / (double)n_all;
    out->centre = n_centre ? centre / (double)n_centre : out->luma;
    out->border = n_border ? border / (double)n_border : out->luma;
    out->ratio = out->border > 0 ? out->centre / out->border : NAN;
}

#ifdef PRECALL_HAVE_JPEG
struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jump;
};

static void jerr_exit(j_common_ptr cinfo)
{
    longjmp(((struct jerr *)cinfo->err)->jump, 1);
}

static void jerr_quiet(j_common_ptr cinfo)
{
    (void)cinfo;
}

static void mjpeg(const uint8_t *buf, size_t len, struct pc_picture *out)
{
    struct jpeg_decompress_struct cinfo;
    struct jerr je;
    uint8_t *volatile plane = NULL;

    memset(&cinfo, 0, sizeof(cinfo));
    cinfo.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jerr_exit;
    je.mgr.output_message = jerr_quiet;
    if (setjmp(je.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(plane);
        memset(out, 0, sizeof(*out));
        snprintf(out->why, sizeof(out->why), "the MJPEG frame could not be decoded");
        return;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, buf, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    cinfo.out_color_space = JCS_GRAYSCALE;
    cinfo.scale_num = 1;
    cinfo.scale_denom = 4;
    jpeg_start_decompress(&cinfo);
    plane = malloc((size_t)cinfo.output_width * cinfo.output_height);
    if (plane == NULL)
        longjmp(je.jump, 1);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = plane + (size_t)cinfo.output_scanline * cinfo.output_width;

        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    pc_picture_plane(plane, (int)cinfo.output_width, (int)cinfo.output_height,
                     (int)cinfo.output_width, 1, out);
    jpeg_destroy_decompress(&cinfo);
    free(plane);
}
#endif

void pc_picture_analyse(uint32_t fourcc, const uint8_t *buf, size_t len, int w, int h, int stride,
                        struct pc_picture *out)
{
    memset(out, 0, sizeof(*out));
    out->ratio = NAN;
    if (w <= 0 || h <= 0 || buf == NULL) {
        snprintf(out->why, sizeof(out->why), "no frame");
        return;
    }
    if (fourcc == FMT_YUYV) {
        if (stride < 2 * w || len < (size_t)stride * (size_t)h) {
            snprintf(out->why, sizeof(out->why), "the YUYV frame is short");
            return;
        }
        pc_picture_plane(buf, w, h, stride, 2, out);
    } else if (fourcc == FMT_NV12) {
        if (stride < w || len < (size_t)stride * (size_t)h) {
            snprintf(out->why, sizeof(out->why), "the NV12 frame is short");
            return;
        }
        pc_picture_plane(buf, w, h, stride, 1, out);
    } else if (fourcc == FMT_MJPG || fourcc == FMT_JPEG) {
#ifdef PRECALL_HAVE_JPEG
        mjpeg(buf, len, out);
#else
        (void)len;
        snprintf(out->why, sizeof(out->why),
                 "skipped: MJPEG frames need libjpeg, which this build does not have");
#endif
    } else {
        snprintf(out->why, sizeof(out->why), "skipped: the %c%c%c%c format is not analysed",
                 (char)(fourcc & 0xff), (char)((fourcc >> 8) & 0xff), (char)((fourcc >> 16) & 0xff),
                 (char)((fourcc >> 24) & 0xff));
    }
}
