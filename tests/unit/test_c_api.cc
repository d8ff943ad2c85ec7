/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The C ABI as libxl sees it: the shared object exports xsm_* and nothing
 * else, errors come back as errno plus a logged reason, and an embedded
 * stream leaves the rest of the fd to its owner.
 */
#include <gtest/gtest.h>

#include <dlfcn.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "cli_runner.h"
#include "spec_vectors.h"
#include "xsmigrate.h"

using namespace xsm_test;

namespace {

int FdWith(const std::string &data)
{
    FILE *f = tmpfile();
    fwrite(data.data(), 1, data.size(), f);
    fflush(f);
    int fd = dup(fileno(f));
    fclose(f);
    lseek(fd, 0, SEEK_SET);
    return fd;
}

/* A xentoollog logger that keeps what it is told. */
struct CapturingLogger {
    xentoollog_logger vtable;
    std::string last;
    int errnoval = 0;
};

void CaptureLog(xentoollog_logger *l, xentoollog_level, int errnoval, const char *,
                const char *fmt, va_list al)
{
    auto *c = reinterpret_cast<CapturingLogger *>(l);
    char buf[512];
    vsnprintf(buf, sizeof(buf), fmt, al);
    c->last = buf;
    c->errnoval = errnoval;
}

void NoProgress(xentoollog_logger *, const char *, const char *, int, unsigned long,
                unsigned long) {}
void NoDestroy(xentoollog_logger *) {}

TEST(CApi, VerifyReportsInfo)
{
    xsm_ctx *ctx = xsm_ctx_open(nullptr, nullptr, 0);
    ASSERT_NE(ctx, nullptr);
    std::string s = FullStreamV2(true);
    int fd = FdWith(s);
    xsm_stream_info info;
    XSM_INIT(info);
    ASSERT_EQ(xsm_stream_verify(ctx, fd, XSM_LAYOUT_XEN, 0, &info), 0) << xsm_last_error(ctx);
    EXPECT_EQ(info.size, sizeof(info));
    EXPECT_EQ(info.version, 2u);
    EXPECT_EQ(info.endian, unsigned(XSM_ENDIAN_BIG));
    EXPECT_EQ(info.records, 12u);
    EXPECT_EQ(info.length, s.size());
    close(fd);
    xsm_ctx_close(ctx);
}

TEST(CApi, InvalidStreamIsEinvalWithLoggedReason)
{
    CapturingLogger logger{{CaptureLog, NoProgress, NoDestroy}, "", 0};
    xsm_ctx *ctx = xsm_ctx_open(nullptr, &logger.vtable, 0);
    std::string s = FullStreamV1(false);
    s[8] = 9; /* version 0x09000001 */
    int fd = FdWith(s);
    errno = 0;
    EXPECT_EQ(xsm_stream_verify(ctx, fd, XSM_LAYOUT_XEN, 0, nullptr), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(std::string(xsm_last_error(ctx)), "offset 8: header: unknown version 150994945");
    EXPECT_EQ(logger.last, xsm_last_error(ctx));
    EXPECT_EQ(logger.errnoval, EINVAL);
    close(fd);
    xsm_ctx_close(ctx);
}

TEST(CApi, BadArgumentsAndUnreadableFd)
{
    EXPECT_EQ(xsm_ctx_open(nullptr, nullptr, 1), nullptr);
    EXPECT_EQ(errno, EINVAL);
    xsm_ctx *ctx = xsm_ctx_open(nullptr, nullptr, 0);
    EXPECT_EQ(xsm_stream_verify(ctx, 0, 7, 0, nullptr), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(xsm_stream_verify(ctx, -1, XSM_LAYOUT_XEN, 0, nullptr), -1);
    EXPECT_EQ(errno, EIO);
    EXPECT_EQ(xsm_stream_verify(nullptr, 0, XSM_LAYOUT_XEN, 0, nullptr), -1);
    EXPECT_EQ(xsm_set_trusted_stream(nullptr, 1), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(xsm_set_trusted_stream(ctx, 1), 0);
    EXPECT_EQ(xsm_set_trusted_stream(ctx, 0), 0);
    xsm_ctx_close(ctx);
}

TEST(CApi, EmbeddedVerifyLeavesTheFdAfterEnd)
{
    xsm_ctx *ctx = xsm_ctx_open(nullptr, nullptr, 0);
    std::string s = FullStreamV1(false);
    int fd = FdWith(s + "NEXT");
    ASSERT_EQ(xsm_stream_verify(ctx, fd, XSM_LAYOUT_XEN, XSM_EMBEDDED, nullptr), 0);
    EXPECT_EQ(lseek(fd, 0, SEEK_CUR), off_t(s.size()));
    close(fd);
    xsm_ctx_close(ctx);
}

TEST(CApi, ConvertBetweenFds)
{
    xsm_ctx *ctx = xsm_ctx_open(nullptr, nullptr, 0);
    int in = FdWith(FullStreamV1(false));
    int out = FdWith("");
    xsm_convert_opts o;
    XSM_INIT(o);
    o.layout_out = XSM_LAYOUT_DRAFT;
    o.endian = XSM_ENDIAN_BIG;
    ASSERT_EQ(xsm_stream_convert(ctx, in, out, &o), 0) << xsm_last_error(ctx);
    std::string want = FullStreamV1(true, ConnLayout::Draft);
    std::string got(want.size() + 16, '\0');
    EXPECT_EQ(pread(out, &got[0], got.size(), 0), ssize_t(want.size()));
    got.resize(want.size());
    EXPECT_EQ(got, want);

    /* Lossy: ENOTSUP. */
    int in2 = FdWith(FullStreamV2(false));
    xsm_convert_opts v1;
    XSM_INIT(v1);
    v1.version = 1;
    EXPECT_EQ(xsm_stream_convert(ctx, in2, out, &v1), -1);
    EXPECT_EQ(errno, ENOTSUP);
    close(in);
    close(in2);
    close(out);
    xsm_ctx_close(ctx);
}

/*
 * The public structs grow without a new soname: a caller built against a
 * later header passes a larger size, accepted when the octets this
 * library does not know are zero; an older, smaller one is refused.
 */
TEST(CApi, ExtensibleStructsFollowTheSizeRule)
{
    xsm_ctx *ctx = xsm_ctx_open(nullptr, nullptr, 0);
    struct {
        xsm_stream_info info;
        uint64_t newer_field;
    } big;
    std::memset(&big, 0xff, sizeof(big));
    big.info.size = sizeof(big);
    int fd = FdWith(FullStreamV1(false));
    ASSERT_EQ(xsm_stream_verify(ctx, fd, XSM_LAYOUT_XEN, 0, &big.info), 0) << xsm_last_error(ctx);
    EXPECT_EQ(big.info.version, 1u);
    EXPECT_EQ(big.info.endian, unsigned(XSM_ENDIAN_LITTLE));
    EXPECT_EQ(big.newer_field, 0u) << "octets the library does not know are zeroed";
    close(fd);

    xsm_stream_info small;
    XSM_INIT(small);
    small.size = 8;
    fd = FdWith(FullStreamV1(false));
    EXPECT_EQ(xsm_stream_verify(ctx, fd, XSM_LAYOUT_XEN, 0, &small), -1);
    EXPECT_EQ(errno, EINVAL);
    close(fd);

    struct {
        xsm_convert_opts opts;
        uint32_t newer_field;
    } opts;
    std::memset(&opts, 0, sizeof(opts));
    opts.opts.size = sizeof(opts);
    int in = FdWith(FullStreamV1(false));
    int out = FdWith("");
    EXPECT_EQ(xsm_stream_convert(ctx, in, out, &opts.opts), 0) << xsm_last_error(ctx);
    close(in);
    opts.newer_field = 1;
    in = FdWith(FullStreamV1(false));
    EXPECT_EQ(xsm_stream_convert(ctx, in, out, &opts.opts), -1);
    EXPECT_EQ(errno, E2BIG);
    opts.newer_field = 0;
    opts.opts.size = 0;
    EXPECT_EQ(xsm_stream_convert(ctx, in, out, &opts.opts), -1);
    EXPECT_EQ(errno, EINVAL);
    close(in);
    close(out);
    xsm_ctx_close(ctx);
}

/* Only the C API is visible in the shared object libxl links against. */
TEST(CApi, SharedObjectExportsOnlyTheCApi)
{
    const char *so = std::getenv("XSM_SHLIB");
    ASSERT_NE(so, nullptr) << "XSM_SHLIB must name libxsmigrate.so.* (make check sets it)";
    TempDir tmp;
    std::string cmd = std::string("nm -D --defined-only '") + so + "' | awk '{print $3}' > " +
                      (tmp / "syms");
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    std::istringstream syms(ReadFile(tmp / "syms"));
    std::string sym;
    int n = 0;
    while (std::getline(syms, sym)) {
        if (sym.empty() || sym == "XSMIGRATE_0")
            continue;
        EXPECT_EQ(sym.rfind("xsm_", 0), 0u) << "exported: " << sym;
        n++;
    }
    /* ... + xsm_set_trusted_stream, the three libxl loads, and what the
     * xsmigrate command needs of it: xsm_last_error_kind,
     * xsm_set_timeout_ms, xsm_domain_restore_fd */
    EXPECT_EQ(n, 17);

    void *h = dlopen(so, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(h, nullptr) << dlerror();
    EXPECT_NE(dlsym(h, "xsm_stream_verify"), nullptr);
    /* What libxl resolves when it loads the library (libxl_xsmigrate.c). */
    for (const char *name : {"xsm_ctx_open", "xsm_ctx_close", "xsm_last_error",
                             "xsm_xenstored_check", "xsm_domain_save_buffer",
                             "xsm_domain_restore_buffer", "xsm_domain_resume"})
        EXPECT_NE(dlsym(h, name), nullptr) << name;
    dlclose(h);
}

} // namespace

TEST(CApi, ResumeRefusesDom0AndReservedIdsBeforeAskingXenstored)
{
    /* No xenstored is reachable here: the refusal must come first. */
    xsm_ctx *ctx = xsm_ctx_open(nullptr, nullptr, 0);
    ASSERT_NE(ctx, nullptr);
    for (uint32_t domid : {0u, 0x7ff0u, 0x7ff4u, 0xffffffffu}) {
        errno = 0;
        EXPECT_EQ(xsm_domain_resume(ctx, domid), -1) << domid;
        EXPECT_EQ(errno, EINVAL) << domid;
        EXPECT_EQ(std::string(xsm_last_error(ctx)).rfind("xsm_domain_resume: domain ", 0), 0u)
                << xsm_last_error(ctx);
    }
    EXPECT_NE(std::string(xsm_last_error(ctx)).find("reserved id"), std::string::npos);
    EXPECT_EQ(xsm_domain_resume(ctx, 0), -1);
    EXPECT_NE(std::string(xsm_last_error(ctx)).find("is dom0"), std::string::npos);
    xsm_ctx_close(ctx);
}
