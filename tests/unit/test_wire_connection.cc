/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The engine's own xenstored connection: every request ends within its
 * timeout, errors come back as errno values, and replies that are not
 * the request's are skipped.  A socketpair stands in for the daemon.
 */
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <xen/io/xs_wire.h>

#include "cli_runner.h"
#include "daemon_side.h"
#include "xenstored/wire_connection.h"
#include "xenstored/xenstored_client.h"

namespace {

using xsm::WireConnection;

/* A listening socket at a path; a "daemon" thread serves one client. */
class FakeDaemon {
public:
    explicit FakeDaemon(const std::string &path) : path_(path), fd_(xsm_test::ListenAt(path)) {}
    ~FakeDaemon()
    {
        if (t_.joinable())
            t_.join();
        close(fd_);
    }
    /* Reads one request; sends the given replies (header + body each). */
    void Serve(std::vector<std::pair<xsd_sockmsg, std::string>> replies, bool echo_id = true)
    {
        t_ = std::thread([this, replies, echo_id] {
            int c = accept(fd_, nullptr, nullptr);
            xsd_sockmsg req{};
            if (read(c, &req, sizeof(req)) != sizeof(req))
                return;
            std::string body(req.len, '\0');
            if (req.len)
                (void)!read(c, &body[0], req.len);
            for (auto r : replies) {
                if (echo_id && r.first.req_id == 0)
                    r.first.req_id = req.req_id;
                r.first.len = r.second.size();
                (void)!write(c, &r.first, sizeof(r.first));
                (void)!write(c, r.second.data(), r.second.size());
            }
            /* Hold the connection until the client closes it. */
            char b;
            while (read(c, &b, 1) > 0)
                ;
            close(c);
        });
    }

private:
    std::string path_;
    int fd_;
    std::thread t_;
};

xsd_sockmsg Hdr(uint32_t type, uint32_t id = 0)
{
    xsd_sockmsg h{};
    h.type = type;
    h.req_id = id;
    return h;
}

TEST(WireConnection, AStalledDaemonTimesOut)
{
    xsm_test::TempDir tmp;
    FakeDaemon d(tmp / "sock");
    d.Serve({}); /* reads the request, never answers */
    WireConnection c(tmp / "sock");
    std::string reply, why;
    int xs_errno = -1;
    auto t0 = std::chrono::steady_clock::now();
    EXPECT_FALSE(c.Talk(XS_CONTROL, std::string("quiesce\0" "5\0", 10), 300, &reply, &xs_errno,
                        &why));
    EXPECT_EQ(errno, ETIMEDOUT);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - t0)
                      .count();
    EXPECT_GE(ms, 290);
    EXPECT_LT(ms, 2000);
    EXPECT_EQ(why, "no reply from xenstored within 0.3 s");
}

TEST(WireConnection, ErrorsAndStrayRepliesAreSortedOut)
{
    xsm_test::TempDir tmp;
    FakeDaemon d(tmp / "sock");
    /* A watch event and a late reply to an earlier request come first. */
    d.Serve({{Hdr(XS_WATCH_EVENT, 0xffff), std::string("p\0t\0", 4)},
             {Hdr(XS_CONTROL, 0xfffe), "OK"},
             {Hdr(XS_ERROR), std::string("EBUSY\0", 6)}});
    WireConnection c(tmp / "sock");
    std::string reply, why;
    int xs_errno = 0;
    ASSERT_TRUE(c.Talk(XS_CONTROL, std::string("quiesce\0" "5\0", 10), 2000, &reply, &xs_errno,
                       &why))
            << why;
    EXPECT_EQ(xs_errno, EBUSY);
    EXPECT_EQ(reply, "");
}

TEST(WireConnection, NoDaemonIsAClearError)
{
    xsm_test::TempDir tmp;
    xsm::XenstoredClient xs(tmp / "none");
    std::string reply;
    const xsm::Status st = xs.Control({"quiesce", "5"}, &reply);
    EXPECT_EQ(st.sys_errno(), ENOENT);
    EXPECT_EQ(st.code(), xsm::StatusCode::kXenstoredLost);
    EXPECT_NE(st.message().find("cannot connect to xenstored at " + tmp / "none"),
              std::string::npos)
            << st.message();
}

/*
 * The state file goes with the request as a descriptor (SCM_RIGHTS), so
 * the daemon reaches the client's own file whatever namespace either is
 * in: the "daemon" receives it with the request's header, sees the same
 * inode and writes through it; other requests carry none.
 */
TEST(WireConnection, APassedFileReachesTheDaemon)
{
    xsm_test::TempDir tmp;
    int lfd = xsm_test::ListenAt(tmp / "sock");
    ASSERT_GE(lfd, 0);
    int file = open((tmp / "state").c_str(), O_RDWR | O_CREAT, 0600);
    ASSERT_GE(file, 0);
    struct stat want {};
    ASSERT_EQ(fstat(file, &want), 0);

    std::vector<bool> same_file; /* per request: got the file's descriptor */
    std::thread daemon([&] {
        int c = accept(lfd, nullptr, nullptr);
        for (int i = 0; i < 2; i++) {
            xsm_test::ReceivedRequest req;
            if (!xsm_test::ReceiveRequest(c, &req))
                break;
            bool got = false;
            if (req.fd >= 0) {
                struct stat st {};
                got = fstat(req.fd, &st) == 0 && st.st_dev == want.st_dev &&
                      st.st_ino == want.st_ino && pwrite(req.fd, "state", 5, 0) == 5;
                close(req.fd);
            }
            same_file.push_back(got);
            xsd_sockmsg rep = Hdr(XS_CONTROL, req.hdr.req_id);
            rep.len = 3;
            (void)!write(c, &rep, sizeof(rep));
            (void)!write(c, "OK", 3);
        }
        close(c);
    });
    WireConnection c(tmp / "sock");
    std::string reply, why;
    int xs_errno = -1;
    EXPECT_TRUE(c.Talk(XS_CONTROL, std::string("save-domain\0" "5\0\0", 15), 2000, &reply,
                       &xs_errno, &why, file))
            << why;
    EXPECT_TRUE(c.Talk(XS_CONTROL, std::string("print\0x\0", 8), 2000, &reply, &xs_errno, &why))
            << why;
    daemon.join();
    close(lfd);
    EXPECT_EQ(same_file, (std::vector<bool>{true, false}));
    char buf[8] = {};
    EXPECT_EQ(pread(file, buf, sizeof(buf), 0), 5);
    EXPECT_STREQ(buf, "state");
    close(file);
}

} // namespace
