/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Save plus restore of one domain's xenstore state through the engine,
 * next to what libxl does for emulator state today: a copy with one
 * xs_directory / xs_read / xs_get_permissions round trip per node (and
 * the writes on the other side).  Both against real xenstored on two
 * simulated hosts; bench/domain_bench.sh sets them up.
 *
 *   domain_bench copy SRC_SOCKET DST_SOCKET ROOT DEST_ROOT
 *   domain_bench migrate SRC_SOCKET DST_SOCKET DOMID PORT
 * Each prints one line: "<what> <milliseconds> ms <nodes>".
 */
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

extern "C" {
#include <xenstore.h>
}

#include "engine/domain_restorer.h"
#include "engine/domain_saver.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double, std::milli>(b - a).count();
}

xs_handle *Open(const char *socket)
{
    setenv("XENSTORED_PATH", socket, 1);
    xs_handle *h = xs_open(0);
    if (!h) {
        std::perror(socket);
        std::exit(1);
    }
    return h;
}

/* The per-node copy: what a toolstack without the engine has to do. */
int CopyTree(xs_handle *src, xs_handle *dst, const std::string &from, const std::string &to)
{
    unsigned int len = 0, n = 0, np = 0;
    char *value = static_cast<char *>(xs_read(src, XBT_NULL, from.c_str(), &len));
    struct xs_permissions *perms = xs_get_permissions(src, XBT_NULL, from.c_str(), &np);
    char **children = xs_directory(src, XBT_NULL, from.c_str(), &n);
    if (!value || !perms || !children) {
        std::fprintf(stderr, "copy: cannot read %s\n", from.c_str());
        std::exit(1);
    }
    if (!xs_write(dst, XBT_NULL, to.c_str(), value, len) ||
        !xs_set_permissions(dst, XBT_NULL, to.c_str(), perms, np)) {
        std::fprintf(stderr, "copy: cannot write %s\n", to.c_str());
        std::exit(1);
    }
    int count = 1;
    for (unsigned int i = 0; i < n; i++)
        count += CopyTree(src, dst, from + "/" + children[i], to + "/" + children[i]);
    std::free(value);
    std::free(perms);
    std::free(children);
    return count;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc != 6) {
        std::fprintf(stderr, "usage: domain_bench copy|migrate SRC DST ROOT|DOMID DEST|PORT\n");
        return 2;
    }
    xs_handle *src = Open(argv[2]);
    xs_handle *dst = Open(argv[3]);

    if (!std::strcmp(argv[1], "copy")) {
        auto t0 = Clock::now();
        int n = CopyTree(src, dst, argv[4], argv[5]);
        std::printf("per-node-copy %.3f ms %d\n", Ms(t0, Clock::now()), n);
        return 0;
    }

    xsm::NodePolicy policy;
    std::string why;
    policy.Parse(xsm::NodePolicy::DefaultTemplates(), &why);
    xsm::XenstoredClient a(src), b(dst);
    unsigned int domid = std::atoi(argv[4]);
    xsm::StringSink stream;
    xsm::XsError e;

    auto t0 = Clock::now();
    if (!xsm::DomainSaver(a, policy).Save(domid, stream, &e)) {
        std::fprintf(stderr, "save: %s\n", e.why.c_str());
        return 1;
    }
    auto t1 = Clock::now();
    xsm::MemorySource in(stream.str());
    std::set<unsigned int> trusted;
    xsm::RestoreTarget t{domid, domid, static_cast<unsigned int>(std::atoi(argv[5])), 0};
    if (!xsm::DomainRestorer(b, policy, trusted).Restore(in, false, t, &e)) {
        std::fprintf(stderr, "restore: %s\n", e.why.c_str());
        return 1;
    }
    auto t2 = Clock::now();
    std::printf("save %.3f ms %zu\nrestore %.3f ms %zu\nsave+restore %.3f ms %zu\n", Ms(t0, t1),
                stream.str().size(), Ms(t1, t2), stream.str().size(), Ms(t0, t2),
                stream.str().size());
    xs_close(src);
    xs_close(dst);
    return 0;
}
