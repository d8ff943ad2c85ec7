/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A C caller of the installed library, as libxl is: built by
 * check-install and check-deb with pkg-config alone.  Prints what
 * xsm_stream_verify() reports on the stream named by argv[1].
 */
#include <fcntl.h>
#include <stdio.h>
#include <xsmigrate.h>

int main(int argc, char **argv)
{
    struct xsm_stream_info info;
    xsm_ctx *ctx = xsm_ctx_open(NULL, NULL, 0);
    int fd = argc == 2 ? open(argv[1], O_RDONLY) : -1;

    XSM_INIT(info);
    if (!ctx || fd < 0 || xsm_stream_verify(ctx, fd, XSM_LAYOUT_XEN, 0, &info)) {
        fprintf(stderr, "%s\n", ctx ? xsm_last_error(ctx) : "no context");
        return 1;
    }
    printf("version %u %s records %llu\n", info.version,
           info.endian == XSM_ENDIAN_BIG ? "big" : "little",
           (unsigned long long)info.records);
    xsm_ctx_close(ctx);
    return 0;
}
