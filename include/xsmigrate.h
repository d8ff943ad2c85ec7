/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * libxsmigrate: the xenstore migration stream, for libxl and other C callers.
 *
 * Calls return 0 on success, or -1 with errno set and a reason logged to
 * the context's xentoollog logger (and kept for xsm_last_error()), like
 * libxenstore.  No C++ exception crosses this interface.
 */
#ifndef XSMIGRATE_H
#define XSMIGRATE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* xentoollog.h has no C++ guards of its own. */
#include <xentoollog.h>

typedef struct xsm_ctx xsm_ctx;
struct xs_handle;

/* CONNECTION_DATA layouts: as xenstored writes it, or the v4 design's. */
#define XSM_LAYOUT_XEN   0
#define XSM_LAYOUT_DRAFT 1

/*
 * Opens a context.  xsh names the xenstored to use (not taken over):
 * the context has its own connection to the daemon xs_open(0) reaches
 * at this call (XENSTORED_PATH honoured), opened when first needed,
 * because a libxenstore handle cannot give a request a timeout
 * ($XSM_XENSTORED_TIMEOUT seconds, default 5; see docs/engine.md).  logger may be NULL (errors are then only kept for
 * xsm_last_error()).  flags must be 0.  NULL with errno on failure.
 */
xsm_ctx *xsm_ctx_open(struct xs_handle *xsh, xentoollog_logger *logger,
                      unsigned int flags);
void xsm_ctx_close(xsm_ctx *ctx);

/* The reason for the last failure on ctx, or "" if none. */
const char *xsm_last_error(const xsm_ctx *ctx);

/*
 * What kind of failure the last one on ctx was, for a caller that
 * reports it (the xsmigrate command's exit status): whom it blames.
 * XSM_ERROR_NONE after a success.
 */
#define XSM_ERROR_NONE              0
#define XSM_ERROR_BAD_STREAM        1   /* malformed, or beyond this host's bounds */
#define XSM_ERROR_BEYOND_DOMAIN     2   /* names what the guest could not have created */
#define XSM_ERROR_BAD_ARGUMENT      3   /* an argument of the call */
#define XSM_ERROR_TOO_BIG           4   /* more than one xenstore request can carry */
#define XSM_ERROR_IO                5   /* the caller's fd, or this host's scratch file */
#define XSM_ERROR_CANNOT_CONVERT    6   /* valid, not expressible as asked */
#define XSM_ERROR_XENSTORED_REFUSED 7   /* xenstored answered with an error */
#define XSM_ERROR_XENSTORED_LOST    8   /* unreachable, timed out, connection dropped */
#define XSM_ERROR_XENSTORED_LACKS   9   /* no such command (no patch series, no socket) */
#define XSM_ERROR_NO_MEMORY         10
#define XSM_ERROR_INTERNAL          11
int xsm_last_error_kind(const xsm_ctx *ctx);

/*
 * Every request to xenstored made with ctx waits at most ms milliseconds
 * (1 to 86400000), instead of $XSM_XENSTORED_TIMEOUT; then the call fails
 * with ETIMEDOUT.  EINVAL for 0 or more than a day.
 */
int xsm_set_timeout_ms(xsm_ctx *ctx, unsigned int ms);

/*
 * Extensible structures.  The caller zeroes one and sets size to
 * sizeof(struct ...) as its header declares it (XSM_INIT() does both).
 * A later library may append fields: it reads or fills only the first
 * size octets, so old callers keep working without a new soname; a
 * larger size than the library knows is accepted when the octets it does
 * not know are zero (E2BIG otherwise).
 */
#define XSM_INIT(s) (memset(&(s), 0, sizeof(s)), (s).size = sizeof(s))

/* Filled by xsm_stream_verify(). */
struct xsm_stream_info {
    uint32_t size;        /* set by the caller: sizeof(struct xsm_stream_info) */
    uint32_t version;     /* the stream's header version (1, 2) */
    uint32_t endian;      /* XSM_ENDIAN_LITTLE or XSM_ENDIAN_BIG */
    uint32_t pad0;        /* zero */
    uint64_t records;     /* END included */
    uint64_t warnings;    /* non-zero padding, reserved record types */
    uint64_t length;      /* octets, header included */
};

/* Byte orders: a stream's, or the one asked of xsm_stream_convert(). */
#define XSM_ENDIAN_AS_INPUT 0
#define XSM_ENDIAN_LITTLE   1
#define XSM_ENDIAN_BIG      2

/*
 * Reads a whole stream from fd and checks every record.  EINVAL: the
 * stream is invalid (xsm_last_error() names offset, record and reason);
 * EIO: it could not be read; E2BIG: see XSM_INIT().  With XSM_EMBEDDED, nothing after the END
 * record is read (the fd carries a larger stream, such as libxl's).
 */
#define XSM_EMBEDDED 0x1
int xsm_stream_verify(xsm_ctx *ctx, int fd, int layout, unsigned int flags,
                      struct xsm_stream_info *info);

/* Read by xsm_stream_convert(). */
struct xsm_convert_opts {
    uint32_t size;        /* set by the caller: sizeof(struct xsm_convert_opts) */
    uint32_t layout_in;   /* XSM_LAYOUT_* */
    uint32_t layout_out;  /* XSM_LAYOUT_* */
    uint32_t version;     /* 0: as the input; else 1 or 2 */
    uint32_t endian;      /* XSM_ENDIAN_* */
    uint32_t pad0;        /* zero */
};

/*
 * Re-encodes the stream on in_fd to out_fd.  EINVAL: invalid input;
 * ENOTSUP: the input cannot be expressed in the requested version or
 * layout without loss; EIO: a read or write failed.
 */
int xsm_stream_convert(xsm_ctx *ctx, int in_fd, int out_fd,
                       const struct xsm_convert_opts *opts);

/*
 * Per-domain save and restore.  A domain's nodes are those under
 * /local/domain/<domid> and the backend areas of its devices,
 * /local/domain/<backend>/backend/<type>/<domid>; a save takes of those
 * only the directories <id> of the domain's own devices, as its
 * frontends /local/domain/<domid>/device/<type>/<id>/backend name them
 * (a frontend naming anything else is not followed: a warning to the
 * logger).  See xsm_set_node_templates() to change that set.
 */

/*
 * Saves domain domid's xenstore state (connection, watches, open
 * transactions, nodes and permissions) as a stream written to fd.  The
 * domain is quiesced first and stays so: its ring now belongs to the
 * receiving side.  On failure it is resumed.  Needs the xenstored patch
 * series (ENOSYS-like errors from xenstored otherwise).
 */
int xsm_domain_save(xsm_ctx *ctx, uint32_t domid, int fd);

/* Lets xenstored serve a domain saved by xsm_domain_save() again (the
 * migration failed and the guest stays here).  EINVAL for dom0 or a
 * reserved domid, as for a save, before xenstored is asked. */
int xsm_domain_resume(xsm_ctx *ctx, uint32_t domid);

/*
 * Restores a domain's state from the stream on fd (nothing after its END
 * is read) as domain domid, which must exist and not be introduced yet.
 * from_domid is its domid in the stream (paths, permissions and the
 * connection are rewritten); store_port and store_gfn are the guest's
 * xenstore event channel and ring page on this host.  The stream is
 * checked while it is read as coming from an untrusted sender: only nodes
 * the guest could have created itself on this host are restored (nodes
 * the guest does not own, such as name, vm, domid, store/... and backend
 * areas, are left to this host's toolstack; control/shutdown and
 * device/suspend/event-channel are reset), and everything is bounded by
 * xenstored's quotas.  EINVAL for a malformed or oversized stream,
 * EPERM for one reaching beyond the domain (nodes outside its set or
 * not its own to create, permissions for third domains); nothing is
 * applied then.  The patched xenstored checks the same rule again as it
 * applies the nodes: EACCES if the host changed in between so that a
 * node is no longer the guest's to create (its log names the node).
 * Every open transaction ends with EAGAIN; every watch is re-armed.
 */
int xsm_domain_restore(xsm_ctx *ctx, uint32_t domid, uint32_t from_domid,
                       uint32_t store_port, uint64_t store_gfn, int fd);

/*
 * 0 when xenstored has the xsmigrate patch series (the quiesce,
 * unquiesce, save-domain and restore-domain commands, restore-domain
 * able to leave the connection quiesced), else -1: ENOSYS with a reason
 * naming what is missing, or the error reaching xenstored.  Meant to be
 * called before anything irreversible (libxl: before suspending).
 */
int xsm_xenstored_check(xsm_ctx *ctx);

/*
 * Like xsm_domain_save(), into a malloc()ed buffer the caller free()s:
 * for callers with their own I/O (libxl frames it as a record and moves
 * it with its datacopier, never blocking its event loop).  *buf and
 * *len are set only on success.
 */
int xsm_domain_save_buffer(xsm_ctx *ctx, uint32_t domid, void **buf, size_t *len);

/*
 * Like xsm_domain_restore(), from the len octets at buf (one whole
 * stream, nothing after its END).  With XSM_RESTORE_KEEP_QUIESCED the
 * restored connection stays quiesced: nothing the guest left on its ring
 * is served, and no response or event is written to it, until
 * xsm_domain_resume() (the caller writes its own nodes first).  On
 * failure nothing is applied and the domain is not introduced.
 */
#define XSM_RESTORE_KEEP_QUIESCED 0x1   /* connection stays quiesced until xsm_domain_resume() */
int xsm_domain_restore_buffer(xsm_ctx *ctx, uint32_t domid, uint32_t from_domid,
                              uint32_t store_port, uint64_t store_gfn,
                              const void *buf, size_t len, unsigned int flags);

/*
 * Like xsm_domain_restore(), with flags: XSM_RESTORE_KEEP_QUIESCED as for
 * xsm_domain_restore_buffer(), and XSM_RESTORE_WHOLE_FD when fd holds
 * the stream and nothing else (a file, a pipe): anything after its END
 * is refused, as for a buffer, instead of left unread.
 */
#define XSM_RESTORE_WHOLE_FD 0x2        /* fd holds one whole stream */
int xsm_domain_restore_fd(xsm_ctx *ctx, uint32_t domid, uint32_t from_domid,
                          uint32_t store_port, uint64_t store_gfn, int fd,
                          unsigned int flags);

/*
 * Replaces the node set: n absolute path templates, each naming $DOMID
 * once, with * for any one component.  EINVAL if one is malformed.  On
 * save, a template /local/domain/X/backend/T/$DOMID (X, T a name or *)
 * stands for the domain's own devices' directories it matches, found
 * from the frontends; any other for every node it matches.
 */
int xsm_set_node_templates(xsm_ctx *ctx, const char *const *templates,
                           unsigned int n);

/* Lets permissions in restored nodes name domain domid as well (a driver
 * domain serving the guest's devices). */
int xsm_trust_domid(xsm_ctx *ctx, uint32_t domid);

/*
 * trusted != 0: streams restored with ctx come from a host the caller
 * controls (an administrator moving a guest between their own hosts):
 * nodes owned by dom0 or a backend are restored from the stream as well,
 * replacing existing nodes of the same owner on this host (never the
 * guest's).  Paths, permissions and bounds are still checked, and
 * xenstored's restore-domain is told so.  Off by default.
 */
int xsm_set_trusted_stream(xsm_ctx *ctx, int trusted);

#ifdef __cplusplus
}
#endif

#endif /* XSMIGRATE_H */
