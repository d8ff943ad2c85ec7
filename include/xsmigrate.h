/*
 * libxsmigrate: the xenstore migration stream, for libxl and other C callers.
 *
 * Calls return 0 on success, or -1 with errno set and a reason logged to
 * the context's xentoollog logger (and kept for xsm_last_error()), like
 * libxenstore.  No C++ exception crosses this interface.
 */
#ifndef XSMIGRATE_H
#define XSMIGRATE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* xentoollog.h has no C++ guards of its own. */
#include <xentoollog.h>

typedef struct xsm_ctx xsm_ctx;

/* CONNECTION_DATA layouts: as xenstored writes it, or the v4 design's. */
#define XSM_LAYOUT_XEN   0
#define XSM_LAYOUT_DRAFT 1

/*
 * Opens a context.  logger may be NULL (errors are then only kept for
 * xsm_last_error()).  flags must be 0.  NULL with errno on failure.
 */
xsm_ctx *xsm_ctx_open(xentoollog_logger *logger, unsigned int flags);
void xsm_ctx_close(xsm_ctx *ctx);

/* The reason for the last failure on ctx, or "" if none. */
const char *xsm_last_error(const xsm_ctx *ctx);

struct xsm_stream_info {
    uint32_t version;
    int big_endian;
    uint64_t records;     /* END included */
    uint64_t warnings;    /* non-zero padding, reserved record types */
    uint64_t length;      /* octets, header included */
};

/*
 * Reads a whole stream from fd and checks every record.  EINVAL: the
 * stream is invalid (xsm_last_error() names offset, record and reason);
 * EIO: it could not be read.  With XSM_EMBEDDED, nothing after the END
 * record is read (the fd carries a larger stream, such as libxl's).
 */
#define XSM_EMBEDDED 0x1
int xsm_stream_verify(xsm_ctx *ctx, int fd, int layout, unsigned int flags,
                      struct xsm_stream_info *info);

struct xsm_convert_opts {
    int layout_in;        /* XSM_LAYOUT_* */
    int layout_out;
    uint32_t version;     /* 0: as the input */
    int endian;           /* 0: as the input, 1: little, 2: big */
};

/*
 * Re-encodes the stream on in_fd to out_fd.  EINVAL: invalid input;
 * ENOTSUP: the input cannot be expressed in the requested version or
 * layout without loss; EIO: a read or write failed.
 */
int xsm_stream_convert(xsm_ctx *ctx, int in_fd, int out_fd,
                       const struct xsm_convert_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* XSMIGRATE_H */
