/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The per-domain calls of the C API, as libxl and the xsmigrate command
 * make them, over the in-memory xenstored: each form of a call (fd,
 * buffer) saves, restores and logs the same way; every failure comes
 * back as errno, a reason and its kind, with the domain resumed when a
 * save could not hand its state over.
 */
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <stdexcept>

#include "c_api_internal.h"
#include "move_helpers.h"
#include "xsmigrate.h"

namespace xsm_test {
namespace {

using F = FakeDomainStore;

/* Everything the library logs, with its level. */
struct Log {
    xentoollog_logger vtable;
    std::vector<std::pair<xentoollog_level, std::string>> lines;

    std::vector<std::string> At(xentoollog_level level) const
    {
        std::vector<std::string> out;
        for (const auto &l : lines)
            if (l.first == level)
                out.push_back(l.second);
        return out;
    }
};

void Keep(xentoollog_logger *l, xentoollog_level level, int, const char *, const char *fmt,
          va_list al)
{
    char buf[1024];
    vsnprintf(buf, sizeof(buf), fmt, al);
    reinterpret_cast<Log *>(l)->lines.emplace_back(level, buf);
}

void NoProgress(xentoollog_logger *, const char *, const char *, int, unsigned long,
                unsigned long)
{
}

void NoDestroy(xentoollog_logger *) {}

/* A file's whole content, from its start. */
std::string Contents(int fd)
{
    std::string s;
    char buf[4096];
    ssize_t n;
    lseek(fd, 0, SEEK_SET);
    while ((n = read(fd, buf, sizeof(buf))) > 0)
        s.append(buf, n);
    return s;
}

int TempFd(const std::string &content = "")
{
    FILE *f = tmpfile();
    int fd = dup(fileno(f));
    fclose(f);
    if (write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size()))
        return -1;
    lseek(fd, 0, SEEK_SET);
    return fd;
}

class CApiDomain : public ::testing::Test {
protected:
    void SetUp() override
    {
        auto fake = std::make_unique<FakeDomainStore>();
        xs = fake.get();
        RunningGuest(xs, 5);
        NewGuest(xs, 7);
        ctx = xsm::CApiOpen(std::move(fake), &log.vtable);
        ASSERT_NE(ctx, nullptr);
    }
    void TearDown() override { xsm_ctx_close(ctx); }

    Log log{{Keep, NoProgress, NoDestroy}, {}};
    FakeDomainStore *xs = nullptr;
    xsm_ctx *ctx = nullptr;
};

TEST_F(CApiDomain, FdAndBufferSavesAreOnePath)
{
    int fd = TempFd();
    ASSERT_EQ(xsm_domain_save(ctx, 5, fd), 0) << xsm_last_error(ctx);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_NONE);
    const std::string by_fd = Contents(fd);
    close(fd);
    EXPECT_EQ(by_fd, StreamOf(GuestState(5)));
    EXPECT_TRUE(xs->quiesced(5));
    const auto fd_info = log.At(XTL_INFO), fd_debug = log.At(XTL_DEBUG);
    ASSERT_EQ(xsm_domain_resume(ctx, 5), 0) << xsm_last_error(ctx);

    log.lines.clear();
    void *buf = nullptr;
    size_t len = 0;
    ASSERT_EQ(xsm_domain_save_buffer(ctx, 5, &buf, &len), 0) << xsm_last_error(ctx);
    EXPECT_EQ(std::string(static_cast<char *>(buf), len), by_fd);
    std::free(buf);
    EXPECT_TRUE(xs->quiesced(5));
    /* The same lines, whichever form. */
    EXPECT_EQ(log.At(XTL_INFO), fd_info);
    EXPECT_EQ(log.At(XTL_DEBUG), fd_debug);
    ASSERT_EQ(fd_info.size(), 1u);
    EXPECT_EQ(fd_info[0], "domain 5 saved (quiesced): 6 nodes, 0 nodes pending in 1 "
                          "transactions, 1 watches, " + std::to_string(by_fd.size()) +
                                  " octets");
    ASSERT_EQ(fd_debug.size(), 1u);
    EXPECT_EQ(fd_debug[0], "domain 5: saved roots " + VifBackend(5) + " " + Home(5));
}

TEST_F(CApiDomain, AFrontendsWarningGoesToTheLogger)
{
    xs->Put(Home(5) + "/device/vbd/1/backend", "/local/domain/0/backend/vbd/6/1",
            {{'n', 5}, {'r', 0}});
    void *buf = nullptr;
    size_t len = 0;
    ASSERT_EQ(xsm_domain_save_buffer(ctx, 5, &buf, &len), 0) << xsm_last_error(ctx);
    std::free(buf);
    ASSERT_EQ(log.At(XTL_WARN).size(), 1u);
    EXPECT_NE(log.At(XTL_WARN)[0].find("/local/domain/0/backend/vbd/6/1"), std::string::npos);
}

TEST_F(CApiDomain, AFailedSaveIsErrnoAReasonAndAKind)
{
    /* xenstored's: exit 5 in the command. */
    xs->FailAt(F::kSaveDomain, 1, EIO);
    errno = 0;
    EXPECT_EQ(xsm_domain_save(ctx, 5, 1), -1);
    EXPECT_EQ(errno, EIO);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_XENSTORED_REFUSED);
    EXPECT_STREQ(xsm_last_error(ctx), "xenstored refused \"save-domain\": Input/output error");
    EXPECT_FALSE(xs->quiesced(5));
    ASSERT_FALSE(log.At(XTL_ERROR).empty());
    EXPECT_EQ(log.At(XTL_ERROR).back(), xsm_last_error(ctx));

    /* The caller's fd: exit 3. */
    EXPECT_EQ(xsm_domain_save(ctx, 5, -1), -1);
    EXPECT_EQ(errno, EBADF);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_IO);
    EXPECT_FALSE(xs->quiesced(5));

    /* The caller's argument, refused before xenstored is asked. */
    EXPECT_EQ(xsm_domain_save(ctx, 0, 1), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_BAD_ARGUMENT);
    EXPECT_STREQ(xsm_last_error(ctx),
                 "xsm_domain_save: domain 0 is dom0, whose ring is the toolstack's own");
    EXPECT_EQ(xsm_domain_save(ctx, 0x7ff0, 1), -1);
    EXPECT_STREQ(xsm_last_error(ctx), "xsm_domain_save: domain 32752 is a reserved id, no domain");
    EXPECT_EQ(xsm_domain_save_buffer(ctx, 0x7ff0, nullptr, nullptr), -1);
    EXPECT_STREQ(xsm_last_error(ctx), "xsm_domain_save_buffer: no buffer");
    void *buf = nullptr;
    size_t len = 0;
    EXPECT_EQ(xsm_domain_save_buffer(ctx, 0x7ff0, &buf, &len), -1);
    EXPECT_STREQ(xsm_last_error(ctx),
                 "xsm_domain_save_buffer: domain 32752 is a reserved id, no domain");
    EXPECT_EQ(buf, nullptr);
}

TEST_F(CApiDomain, RunningOutOfMemoryMidSaveResumesTheDomain)
{
    /* Thrown after the quiesce, while the node set is found: the ticket
     * the save held resumes the domain on the way out. */
    xs->ThrowAt(F::kDirectory, 1);
    void *buf = nullptr;
    size_t len = 0;
    EXPECT_EQ(xsm_domain_save_buffer(ctx, 5, &buf, &len), -1);
    EXPECT_EQ(errno, ENOMEM);
    EXPECT_STREQ(xsm_last_error(ctx), "out of memory");
    EXPECT_EQ(xs->requests().back(), "unquiesce 5");
    EXPECT_FALSE(xs->quiesced(5));
    EXPECT_EQ(buf, nullptr);
}

TEST_F(CApiDomain, NoExceptionLeavesTheLibrary)
{
    struct Odd : FakeDomainStore {
        xsm::Status Quiesce(unsigned int) override
        {
            throw std::runtime_error("odd");
        }
    };
    xsm_ctx *odd = xsm::CApiOpen(std::make_unique<Odd>(), nullptr);
    ASSERT_NE(odd, nullptr);
    EXPECT_EQ(xsm_domain_save(odd, 5, 1), -1);
    EXPECT_EQ(errno, EIO);
    EXPECT_STREQ(xsm_last_error(odd), "internal error");
    xsm_ctx_close(odd);
    errno = 0;
    EXPECT_EQ(xsm_domain_save(nullptr, 5, 1), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(xsm::CApiOpen(nullptr, nullptr), nullptr);
}

TEST_F(CApiDomain, ResumeAfterAFailedMigration)
{
    ASSERT_EQ(xsm_domain_save(ctx, 5, TempFd()), 0) << xsm_last_error(ctx);
    ASSERT_TRUE(xs->quiesced(5));
    log.lines.clear();
    ASSERT_EQ(xsm_domain_resume(ctx, 5), 0) << xsm_last_error(ctx);
    EXPECT_FALSE(xs->quiesced(5));
    EXPECT_EQ(log.At(XTL_DEBUG), std::vector<std::string>{"domain 5 unquiesced"});

    /* Not quiesced: xenstored says no. */
    EXPECT_EQ(xsm_domain_resume(ctx, 5), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_XENSTORED_REFUSED);
    /* A resume that times out. */
    xs->FailAt(F::kUnquiesce, 1, ETIMEDOUT, true);
    EXPECT_EQ(xsm_domain_resume(ctx, 5), -1);
    EXPECT_EQ(errno, ETIMEDOUT);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_XENSTORED_LOST);
    const size_t asked = xs->requests().size();
    EXPECT_EQ(xsm_domain_resume(ctx, 0x7ff0), -1);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_BAD_ARGUMENT);
    EXPECT_EQ(xs->requests().size(), asked);
}

TEST_F(CApiDomain, FdAndBufferRestoresAreOnePath)
{
    const std::string stream = StreamOf(GuestState(5));
    ASSERT_EQ(xsm_domain_restore_buffer(ctx, 7, 5, 33, 99, stream.data(), stream.size(), 0), 0)
            << xsm_last_error(ctx);
    const auto by_buffer = log.At(XTL_INFO);
    ASSERT_EQ(by_buffer.size(), 1u);
    EXPECT_EQ(by_buffer[0], "domain 7 restored (from domain 5, port 33): 2 nodes, 0 nodes "
                            "pending in 1 transactions, 1 watches, " +
                                    std::to_string(stream.size()) + " octets");

    /* The same on another host from an fd, libxl's stream going on after it. */
    auto fake = std::make_unique<FakeDomainStore>();
    FakeDomainStore *other = fake.get();
    NewGuest(other, 7);
    Log other_log{{Keep, NoProgress, NoDestroy}, {}};
    xsm_ctx *b = xsm::CApiOpen(std::move(fake), &other_log.vtable);
    int fd = TempFd(stream + "libxl");
    ASSERT_EQ(xsm_domain_restore(b, 7, 5, 33, 99, fd), 0) << xsm_last_error(b);
    EXPECT_EQ(other_log.At(XTL_INFO), by_buffer);
    char rest[8] = {};
    EXPECT_EQ(read(fd, rest, sizeof(rest)), 5);
    EXPECT_STREQ(rest, "libxl");
    close(fd);
    ASSERT_EQ(other->restored().size(), 1u);
    EXPECT_EQ(other->restored()[0].state, xs->restored()[0].state);
    xsm_ctx_close(b);
}

TEST_F(CApiDomain, AWholeFdRestoreRefusesWhatFollowsTheEnd)
{
    const std::string stream = StreamOf(GuestState(5));
    int fd = TempFd(stream + "junk");
    EXPECT_EQ(xsm_domain_restore_fd(ctx, 7, 5, 33, 99, fd, XSM_RESTORE_WHOLE_FD), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_BAD_STREAM);
    EXPECT_NE(std::string(xsm_last_error(ctx)).find("data after the END record"),
              std::string::npos)
            << xsm_last_error(ctx);
    EXPECT_TRUE(xs->restored().empty());
    close(fd);

    fd = TempFd(stream);
    ASSERT_EQ(xsm_domain_restore_fd(ctx, 7, 5, 33, 99, fd,
                                    XSM_RESTORE_WHOLE_FD | XSM_RESTORE_KEEP_QUIESCED),
              0)
            << xsm_last_error(ctx);
    close(fd);
    EXPECT_TRUE(xs->quiesced(7));
    EXPECT_EQ(log.At(XTL_INFO).back().rfind("domain 7 restored (from domain 5, port 33, "
                                            "quiesced): ",
                                            0),
              0u);
    EXPECT_EQ(xsm_domain_restore_fd(ctx, 7, 5, 33, 99, 0, 0x4), -1);
    EXPECT_STREQ(xsm_last_error(ctx), "xsm_domain_restore_fd: bad flags");
}

TEST_F(CApiDomain, RestoreFailuresHaveTheirKind)
{
    const std::string stream = StreamOf(GuestState(5));
    /* Malformed: refused, EINVAL. */
    EXPECT_EQ(xsm_domain_restore_buffer(ctx, 7, 5, 33, 99, stream.data(), stream.size() - 9, 0),
              -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_BAD_STREAM);
    /* xenstored refusing mid-way: nothing applied. */
    xs->FailAt(F::kRestoreDomain, 1, EACCES);
    EXPECT_EQ(xsm_domain_restore_buffer(ctx, 7, 5, 33, 99, stream.data(), stream.size(), 0), -1);
    EXPECT_EQ(errno, EACCES);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_XENSTORED_REFUSED);
    EXPECT_TRUE(xs->restored().empty());
    /* The scratch file: this host's I/O. */
    xs->FailFileWrites(ENOSPC);
    EXPECT_EQ(xsm_domain_restore_buffer(ctx, 7, 5, 33, 99, stream.data(), stream.size(), 0), -1);
    EXPECT_EQ(errno, ENOSPC);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_IO);
    /* The caller's fd. */
    EXPECT_EQ(xsm_domain_restore(ctx, 7, 5, 33, 99, -1), -1);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_IO);
    /* Arguments. */
    for (auto bad : {std::make_pair(0u, 5u), std::make_pair(0x7ff0u, 5u),
                     std::make_pair(7u, 0x7ff0u)}) {
        EXPECT_EQ(xsm_domain_restore(ctx, bad.first, bad.second, 33, 99, 0), -1);
        EXPECT_EQ(std::string(xsm_last_error(ctx)).rfind("xsm_domain_restore: ", 0), 0u)
                << xsm_last_error(ctx);
        EXPECT_NE(std::string(xsm_last_error(ctx)).find(" is "), std::string::npos);
        EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_BAD_ARGUMENT);
    }
    EXPECT_EQ(xsm_domain_restore_buffer(ctx, 7, 5, 33, 99, nullptr, 1, 0), -1);
    EXPECT_STREQ(xsm_last_error(ctx), "xsm_domain_restore_buffer: bad arguments");
    EXPECT_EQ(xsm_domain_restore_buffer(ctx, 7, 5, 33, 99, stream.data(), stream.size(),
                                        XSM_RESTORE_WHOLE_FD),
              -1);
    EXPECT_EQ(xs->count(F::kRestoreDomain), 1u);
}

TEST_F(CApiDomain, TrustAndTemplatesReachTheRestore)
{
    ASSERT_EQ(xsm_trust_domid(ctx, 3), 0);
    ASSERT_EQ(xsm_set_trusted_stream(ctx, 1), 0);
    EXPECT_EQ(xsm_trust_domid(ctx, 0x7ff0), -1);
    EXPECT_EQ(errno, EINVAL);
    const char *bad[] = {"relative/$DOMID"};
    EXPECT_EQ(xsm_set_node_templates(ctx, bad, 1), -1);
    EXPECT_EQ(xsm_set_node_templates(ctx, nullptr, 0), -1);
    const char *home[] = {"/local/domain/$DOMID"};
    ASSERT_EQ(xsm_set_node_templates(ctx, home, 1), 0) << xsm_last_error(ctx);
    const std::string stream = StreamOf(GuestState(5));
    /* The backend area is outside the set now: refused. */
    EXPECT_EQ(xsm_domain_restore_buffer(ctx, 7, 5, 33, 99, stream.data(), stream.size(), 0), -1);
    EXPECT_EQ(errno, EPERM);
    const char *both[] = {"/local/domain/$DOMID", "/local/domain/*/backend/*/$DOMID"};
    ASSERT_EQ(xsm_set_node_templates(ctx, both, 2), 0) << xsm_last_error(ctx);
    ASSERT_EQ(xsm_domain_restore_buffer(ctx, 7, 5, 33, 99, stream.data(), stream.size(), 0), 0)
            << xsm_last_error(ctx);
    EXPECT_EQ(xs->requests().back(), "restore-domain 7 99 33 trusted trust=3");
}

TEST_F(CApiDomain, TheTimeoutReachesXenstoredsConnection)
{
    ASSERT_EQ(xsm_set_timeout_ms(ctx, 1500), 0);
    EXPECT_EQ(xs->timeout_ms(), 1500);
    EXPECT_EQ(xsm_set_timeout_ms(ctx, 0), -1);
    EXPECT_EQ(errno, EINVAL);
    EXPECT_EQ(xsm_set_timeout_ms(ctx, 86400u * 1000 + 1), -1);
    EXPECT_EQ(xs->timeout_ms(), 1500);
}

TEST_F(CApiDomain, TheCheckSaysWhatTheDaemonLacks)
{
    ASSERT_EQ(xsm_xenstored_check(ctx), 0) << xsm_last_error(ctx);
    EXPECT_EQ(log.At(XTL_DEBUG).back(), "xenstored has the domain-state commands");
    xs->WithoutQuiescedRestore();
    EXPECT_EQ(xsm_xenstored_check(ctx), -1);
    EXPECT_EQ(errno, ENOSYS);
    xs->Remove("save-domain");
    EXPECT_EQ(xsm_xenstored_check(ctx), -1);
    EXPECT_NE(std::string(xsm_last_error(ctx)).find("\"save-domain\""), std::string::npos);
    xs->FailAt(F::kHelp, 1, ECONNREFUSED, true);
    EXPECT_EQ(xsm_xenstored_check(ctx), -1);
    EXPECT_EQ(errno, ECONNREFUSED);
    EXPECT_EQ(xsm_last_error_kind(ctx), XSM_ERROR_XENSTORED_LOST);
    EXPECT_EQ(xsm_last_error_kind(nullptr), XSM_ERROR_NONE);
}

} // namespace
} // namespace xsm_test
