/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The C API as libxl would use it, against real xenstored: save a domain
 * on one host into the middle of a larger stream (a header before it, a
 * trailer after it, as libxl's own records surround it), then restore it
 * on another host from that fd, which must be left just after our END.
 *
 *   capi_migrate SRC_SOCKET DST_SOCKET DOMID STORE_PORT
 * Prints one line per check ("PASS name" / "FAIL name: why"); exit 1 if
 * any failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenstore.h>
#include <xsmigrate.h>

static int failures;

static void check(const char *name, int ok, const char *why)
{
    if (ok) {
        printf("PASS %s\n", name);
    } else {
        printf("FAIL %s: %s\n", name, why);
        failures++;
    }
}

static struct xs_handle *open_store(const char *socket)
{
    setenv("XENSTORED_PATH", socket, 1);
    return xs_open(0);
}

int main(int argc, char **argv)
{
    static const char head[] = "LIBXL-HEAD", tail[] = "LIBXL-TAIL";
    struct xs_handle *src, *dst;
    xsm_ctx *sctx, *dctx;
    char path[] = "/tmp/xsm-capi-XXXXXX", buf[sizeof(tail)];
    unsigned int domid, port;
    off_t after;
    int fd, rc;

    if (argc != 5) {
        fprintf(stderr, "usage: capi_migrate SRC DST DOMID PORT\n");
        return 2;
    }
    domid = atoi(argv[3]);
    port = atoi(argv[4]);
    /* A context reaches the daemon xs_open(0) would at the time it is opened. */
    src = open_store(argv[1]);
    sctx = xsm_ctx_open(src, NULL, 0);
    dst = open_store(argv[2]);
    dctx = xsm_ctx_open(dst, NULL, 0);
    if (!src || !dst) {
        perror("xs_open");
        return 2;
    }
    fd = mkstemp(path);
    if (!sctx || !dctx || fd < 0) {
        perror("setup");
        return 2;
    }
    unlink(path);

    /* Save between libxl's records. */
    rc = write(fd, head, sizeof(head)) == sizeof(head) ? 0 : -1;
    if (!rc)
        rc = xsm_domain_save(sctx, domid, fd);
    check("capi-save", rc == 0, xsm_last_error(sctx));
    after = lseek(fd, 0, SEEK_CUR);
    check("capi-trailer-written", write(fd, tail, sizeof(tail)) == sizeof(tail), strerror(errno));

    /* Arguments are checked before anything reaches xenstored. */
    check("capi-bad-domid", xsm_domain_save(sctx, 0x7ff0, fd) == -1 && errno == EINVAL,
          "domid 0x7ff0 accepted");

    /* Restore from the same fd, positioned after libxl's header. */
    lseek(fd, sizeof(head), SEEK_SET);
    rc = xsm_domain_restore(dctx, domid, domid, port, 0, fd);
    check("capi-restore", rc == 0, xsm_last_error(dctx));
    check("capi-fd-left-after-end", lseek(fd, 0, SEEK_CUR) == after, "fd moved past END");
    check("capi-trailer-intact",
          read(fd, buf, sizeof(buf)) == sizeof(buf) && !memcmp(buf, tail, sizeof(tail)),
          "libxl's next record was consumed");

    /* Restoring again: xenstored refuses, the reason is kept and errno set. */
    lseek(fd, sizeof(head), SEEK_SET);
    rc = xsm_domain_restore(dctx, domid, domid, port, 0, fd);
    check("capi-restore-twice-eexist", rc == -1 && errno == EEXIST, xsm_last_error(dctx));

    xsm_ctx_close(sctx);
    xsm_ctx_close(dctx);
    xs_close(src);
    xs_close(dst);
    close(fd);
    return failures ? 1 : 0;
}
