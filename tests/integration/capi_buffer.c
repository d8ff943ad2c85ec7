/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The buffer half of the C API, one call per run, as libxl makes them
 * (check-engine.sh strings them together across two simulated hosts):
 *
 *   capi_buffer check   SOCKET
 *   capi_buffer save    SOCKET DOMID FILE
 *   capi_buffer restore SOCKET DOMID FROM_DOMID PORT FILE [quiesced]
 *   capi_buffer resume  SOCKET DOMID
 *
 * Logs through a xentoollog stdio logger at DEBUG on stderr, as libxl's
 * would.  Exit 0 on success, 1 with xsm_last_error() on stderr otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>
#include <xentoollog.h>
#include <xsmigrate.h>

static int save(xsm_ctx *ctx, unsigned int domid, const char *file)
{
    void *buf = NULL;
    size_t len = 0;
    FILE *f;
    int ok;

    if (xsm_domain_save_buffer(ctx, domid, &buf, &len))
        return -1;
    f = fopen(file, "wb");
    ok = f && fwrite(buf, 1, len, f) == len;
    if (f && fclose(f))
        ok = 0;
    free(buf);
    if (!ok)
        perror(file);
    return ok ? 0 : -1;
}

static int restore(xsm_ctx *ctx, char **argv, unsigned int flags)
{
    static char buf[16 << 20];
    FILE *f = fopen(argv[4], "rb");
    size_t len;

    if (!f) {
        perror(argv[4]);
        return -1;
    }
    len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    return xsm_domain_restore_buffer(ctx, atoi(argv[1]), atoi(argv[2]), atoi(argv[3]), 0,
                                     buf, len, flags);
}

int main(int argc, char **argv)
{
    xentoollog_logger *lg;
    struct xs_handle *xsh;
    xsm_ctx *ctx;
    int rc = -1;

    if (argc < 3) {
        fprintf(stderr, "usage: capi_buffer check|save|restore|resume SOCKET ...\n");
        return 2;
    }
    setenv("XENSTORED_PATH", argv[2], 1);
    xsh = xs_open(0);
    lg = (xentoollog_logger *)xtl_createlogger_stdiostream(stderr, XTL_DEBUG, 0);
    ctx = xsh && lg ? xsm_ctx_open(xsh, lg, 0) : NULL;
    if (!ctx) {
        perror("setup");
        return 2;
    }
    if (!strcmp(argv[1], "check") && argc == 3)
        rc = xsm_xenstored_check(ctx);
    else if (!strcmp(argv[1], "save") && argc == 5)
        rc = save(ctx, atoi(argv[3]), argv[4]);
    else if (!strcmp(argv[1], "restore") && (argc == 7 || argc == 8))
        rc = restore(ctx, argv + 2,
                     argc == 8 && !strcmp(argv[7], "quiesced") ? XSM_RESTORE_KEEP_QUIESCED : 0);
    else if (!strcmp(argv[1], "resume") && argc == 4)
        rc = xsm_domain_resume(ctx, atoi(argv[3]));
    else
        fprintf(stderr, "capi_buffer: bad arguments\n");
    if (rc)
        fprintf(stderr, "capi_buffer %s: %s (errno %d)\n", argv[1], xsm_last_error(ctx), errno);
    xsm_ctx_close(ctx);
    xtl_logger_destroy(lg);
    xs_close(xsh);
    return rc ? 1 : 0;
}
