/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Xenstore client over the domain's ring.
 *
 * xenstore_init(), xenstore_read() and xenstore_write() have XTF's
 * signatures and semantics.  The rest is this project's extension (XTF has
 * no watch/transaction support); it lives in runtime/xenstore.c and drops
 * into an XTF tree next to XTF's common/xenstore.c.
 *
 * Functions returning int return 0 or a negative Xen errno (-XEN_EAGAIN...).
 */
#ifndef XTF_XENSTORE_H
#define XTF_XENSTORE_H

#include <xtf/types.h>

#define XS_ERRNO_EPERM    1
#define XS_ERRNO_ENOENT   2
#define XS_ERRNO_EIO      5
#define XS_ERRNO_E2BIG    7
#define XS_ERRNO_EAGAIN  11
#define XS_ERRNO_ENOMEM  12
#define XS_ERRNO_EACCES  13
#define XS_ERRNO_EEXIST  17
#define XS_ERRNO_EISDIR  21
#define XS_ERRNO_EINVAL  22
#define XS_ERRNO_ENOSPC  28
#define XS_ERRNO_EROFS   30
#define XS_ERRNO_ENOSYS  38
#define XS_ERRNO_ENOTEMPTY 39
#define XS_ERRNO_EQUOTA 122
#define XS_ERRNO_ETIMEDOUT 110
#define XS_ERRNO_EBUSY   16  /* ours: a partial request is on the ring */

int xenstore_init(void);
const char *xenstore_read(const char *key);
int xenstore_write(const char *key, const char *value);

/* Name of a negative errno from the functions below ("EAGAIN"...). */
const char *xenstore_strerror(int rc);

/* Last error of xenstore_read() (0 when it succeeded). */
int xenstore_last_error(void);

/* @key's value into @buf, or "<ENOENT>" etc. when it cannot be read. */
void xenstore_read_copy(const char *key, char *buf, size_t len);

int xenstore_read_tx(uint32_t tx, const char *key, char *buf, size_t len);
int xenstore_write_tx(uint32_t tx, const char *key, const char *value);
int xenstore_rm(const char *key);
/* NUL-separated names into @buf; returns the byte length or -errno. */
int xenstore_directory(const char *key, char *buf, size_t len);
/* Permissions as xenstore-ls prints them ("n5,r0"); returns 0 or -errno. */
int xenstore_get_perms(const char *key, char *buf, size_t len);
int xenstore_set_perms(const char *key, const char *perms /* "n5,r0" */);
int xenstore_watch(const char *path, const char *token);
int xenstore_unwatch(const char *path, const char *token);
int xenstore_transaction_start(uint32_t *tx);
int xenstore_transaction_end(uint32_t tx, bool commit);

/*
 * Wait for a watch event (ones that arrived while waiting for replies are
 * queued).  Returns true and fills @path/@token, or false on timeout.
 */
bool xenstore_wait_watch(char *path, size_t plen, char *token, size_t tlen,
			 uint64_t timeout_ns);
/* Drop every queued watch event; returns how many were dropped. */
unsigned int xenstore_drain_watches(void);

/*
 * The runtime calls this after suspend/resume: ring and port may move.
 * It also adopts the ring's current indices (and forgets a partial request).
 */
void xenstore_reconnect(void);

/*
 * Leave an XS_WRITE of @key = @value half-written: its header and the first
 * @first octets of its payload go on the ring, the rest only with
 * xenstore_write_partial_finish(), which then waits (@timeout_ns) for the
 * reply.  In between every other request returns -EBUSY; watch events can
 * still be read.  finish returns 0 (reply "OK"), -EIO (another reply) or
 * -errno.
 */
int xenstore_write_partial_start(const char *key, const char *value, size_t first);
int xenstore_write_partial_finish(uint64_t timeout_ns);

/*
 * Whether the ring's req_prod/rsp_cons are still what this client last
 * wrote; if not, @facts says how they changed (someone rewrote the page).
 */
bool xenstore_ring_intact(char *facts, size_t len);

#endif
