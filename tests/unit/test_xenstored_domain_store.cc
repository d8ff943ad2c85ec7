/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The real domain store against a scripted daemon on a Unix socket: the
 * requests it sends, the state file handed over with save-domain and
 * restore-domain (written by the daemon and read in place; written by the
 * engine and read by the daemon), and every failure classified where it
 * happens.
 */
#include <gtest/gtest.h>

#include <dirent.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <thread>

#include <xen/io/xs_wire.h>

#include "cli_runner.h"
#include "daemon_side.h"
#include "xenstored/xenstored_domain_store.h"

namespace {

using xsm::Status;
using xsm::StatusCode;

/* One request as the daemon sees it. */
struct Request {
    uint32_t type;
    std::string body; /* NUL-separated arguments */
    int fd;           /* passed with it, or -1 */
};
/* The daemon's answer: a reply type (XS_ERROR for an error) and body. */
using Handler = std::function<std::pair<uint32_t, std::string>(const Request &)>;

/* Serves one client, request by request, until it goes away. */
class ScriptedDaemon {
public:
    ScriptedDaemon(const std::string &path, Handler h)
        : handler_(std::move(h)), listen_(xsm_test::ListenAt(path))
    {
        thread_ = std::thread([this] { Serve(); });
    }
    ~ScriptedDaemon()
    {
        thread_.join();
        close(listen_);
    }
    const std::vector<std::string> &requests() const { return requests_; }

private:
    void Serve()
    {
        int c = accept(listen_, nullptr, nullptr);
        for (;;) {
            xsm_test::ReceivedRequest got;
            if (!xsm_test::ReceiveRequest(c, &got))
                break;
            const Request r{got.hdr.type, got.body, got.fd};
            std::string words = r.body;
            for (char &ch : words)
                if (!ch)
                    ch = ' ';
            requests_.push_back(words + (r.fd >= 0 ? "<fd>" : ""));
            auto reply = handler_(r);
            if (r.fd >= 0)
                close(r.fd);
            xsd_sockmsg rep{};
            rep.type = reply.first;
            rep.req_id = got.hdr.req_id;
            rep.len = reply.second.size();
            (void)!write(c, &rep, sizeof(rep));
            (void)!write(c, reply.second.data(), reply.second.size());
        }
        close(c);
    }

    Handler handler_;
    int listen_;
    std::thread thread_;
    std::vector<std::string> requests_;
};

std::pair<uint32_t, std::string> Ok(uint32_t type, std::string body = std::string("OK", 3))
{
    return {type, std::move(body)};
}

std::pair<uint32_t, std::string> Error(const char *name)
{
    return {XS_ERROR, std::string(name) + '\0'};
}

const char kHelp[] = "quiesce\t<domid> [owned]\nunquiesce\t<domid>\n"
                     "save-domain\t<domid> <file> <path>...\n"
                     "restore-domain\t<domid> <gfn> <port> <file> [quiesced]\nquota\n";

/* $XSM_STATE_DIR for one test, whichever way it ends. */
struct StateDir {
    explicit StateDir(const std::string &dir) { setenv("XSM_STATE_DIR", dir.c_str(), 1); }
    ~StateDir() { unsetenv("XSM_STATE_DIR"); }
};

bool Starts(const Request &r, const char *cmd)
{
    return r.type == XS_CONTROL && r.body.compare(0, std::strlen(cmd) + 1,
                                                 std::string(cmd) + '\0') == 0;
}

TEST(XenstoredDomainStore, TheStateFileGoesBothWaysWithTheRequest)
{
    xsm_test::TempDir tmp;
    std::string restored;
    ScriptedDaemon daemon(tmp / "sock", [&](const Request &r) {
        if (Starts(r, "help"))
            return Ok(XS_CONTROL, std::string(kHelp) + '\0');
        if (Starts(r, "save-domain") && r.fd >= 0) {
            /* xenstored writes the domain's state into the file it got. */
            (void)!write(r.fd, "the state", 9);
            return Ok(XS_CONTROL);
        }
        if (Starts(r, "restore-domain") && r.fd >= 0) {
            char buf[64] = {};
            (void)!pread(r.fd, buf, sizeof(buf) - 1, 0);
            restored = buf;
            return Ok(XS_CONTROL);
        }
        if (r.type == XS_CONTROL)
            return Ok(XS_CONTROL);
        return Error("EINVAL");
    });
    xsm::XenstoredDomainStore store(tmp / "sock");
    store.set_timeout_ms(5000);
    const std::string state_dir = tmp / "state";
    ASSERT_EQ(mkdir(state_dir.c_str(), 0700), 0);
    StateDir scratch(state_dir);
    ASSERT_TRUE(store.CheckCommands().ok());
    ASSERT_TRUE(store.Quiesce(5).ok());
    xsm::StateImage image;
    Status st = store.SaveDomain(5, {"/local/domain/5"}, &image);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(image.bytes(), "the state");
    xsm::StateImage moved(std::move(image));
    EXPECT_EQ(moved.bytes(), "the state");
    EXPECT_TRUE(image.bytes().empty());

    xsm::RestoreRequest r;
    r.domid = 7;
    r.store_gfn = 99;
    r.store_port = 33;
    r.keep_quiesced = true;
    r.trusted_stream = true;
    r.trusted = {3};
    st = store.RestoreDomain(r, [](xsm::ByteSink &sink) {
        return sink.Write("restored state") ? Status::Ok() : Status::Io(errno, "write");
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
    ASSERT_TRUE(store.Unquiesce(5).ok());
    EXPECT_EQ(restored, "restored state");
    EXPECT_EQ(daemon.requests(),
              (std::vector<std::string>{"help ", "quiesce 5 owned ",
                                        "save-domain 5  /local/domain/5 <fd>",
                                        "restore-domain 7 99 33  quiesced trusted trust=3 <fd>",
                                        "unquiesce 5 "}));
    /* No scratch file is left behind, under any name. */
    DIR *d = opendir(state_dir.c_str());
    ASSERT_NE(d, nullptr);
    int entries = 0;
    while (dirent *de = readdir(d))
        entries += std::strcmp(de->d_name, ".") && std::strcmp(de->d_name, "..");
    closedir(d);
    EXPECT_EQ(entries, 0);
}

TEST(XenstoredDomainStore, FailuresAreClassifiedWhereTheyHappen)
{
    xsm_test::TempDir tmp;
    ScriptedDaemon daemon(tmp / "sock", [&](const Request &r) {
        if (Starts(r, "help"))
            return Ok(XS_CONTROL, "quiesce\t<domid>\nunquiesce\nsave-domain\n"
                                  "restore-domain\t<domid>\n" + std::string(1, '\0'));
        if (Starts(r, "quiesce"))
            return Error("EBUSY");
        if (r.type == XS_READ)
            return Error("ENOENT");
        if (r.type == XS_GET_PERMS)
            return Ok(XS_GET_PERMS, std::string("n0\0r5\0", 6));
        return Error("EACCES");
    });
    xsm::XenstoredDomainStore store(tmp / "sock");
    /* An older restore-domain: no "quiesced". */
    Status st = store.CheckCommands();
    EXPECT_TRUE(st.Is(StatusCode::kXenstoredLacks)) << st.ToString();
    EXPECT_EQ(st.sys_errno(), ENOSYS);
    EXPECT_TRUE(store.Has("quiesce").ok());
    st = store.Has("mfn");
    EXPECT_TRUE(st.Is(StatusCode::kXenstoredLacks)) << st.ToString();
    st = store.Quiesce(5);
    EXPECT_TRUE(st.Is(StatusCode::kXenstoredRefused)) << st.ToString();
    EXPECT_EQ(st.sys_errno(), EBUSY);
    std::string value;
    st = store.Read("/local/domain/5/x", &value);
    EXPECT_TRUE(st.Is(StatusCode::kXenstoredRefused));
    EXPECT_EQ(st.sys_errno(), ENOENT);
    std::vector<xsm::XsPermission> perms;
    bool exists = false;
    ASSERT_TRUE(store.Permissions("/local/domain/5", &perms, &exists).ok());
    EXPECT_TRUE(exists);
    ASSERT_EQ(perms.size(), 2u);
    EXPECT_EQ(perms[1].access, 'r');
    std::vector<std::string> children;
    st = store.Directory("/local/domain", &children);
    EXPECT_EQ(st.sys_errno(), EACCES);
    std::map<std::string, long> quotas;
    st = store.Quotas(&quotas);
    EXPECT_TRUE(st.Is(StatusCode::kXenstoredLacks)) << st.ToString(); /* no "quota" */

    /* The scratch file is this host's: I/O, nothing sent. */
    {
        StateDir missing(tmp / "none");
        xsm::StateImage image;
        st = store.SaveDomain(5, {"/local/domain/5"}, &image);
        EXPECT_TRUE(st.Is(StatusCode::kIo)) << st.ToString();
        EXPECT_EQ(st.message(), "cannot create a scratch file: No such file or directory");
        st = store.RestoreDomain(xsm::RestoreRequest{},
                                 [](xsm::ByteSink &) { return Status::Ok(); });
        EXPECT_TRUE(st.Is(StatusCode::kIo)) << st.ToString();
    }
    /* The writer's own failure comes back as it is, nothing sent. */
    const size_t sent = daemon.requests().size();
    st = store.RestoreDomain(xsm::RestoreRequest{}, [](xsm::ByteSink &) {
        return Status::Io(ENOSPC, "cannot write the state for xenstored: full");
    });
    EXPECT_EQ(st.message(), "cannot write the state for xenstored: full");
    EXPECT_EQ(daemon.requests().size(), sent);
}

TEST(XenstoredDomainStore, NoDaemonIsALostConnection)
{
    xsm_test::TempDir tmp;
    xsm::XenstoredDomainStore store(tmp / "none");
    const Status st = store.Quiesce(5);
    EXPECT_TRUE(st.Is(StatusCode::kXenstoredLost)) << st.ToString();
}

} // namespace
