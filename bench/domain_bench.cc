/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * One domain's xenstore state moved between two simulated hosts: through
 * the engine (quiesce, save-domain, transfer, restore-domain), next to what
 * a toolstack without it does, a copy with one xs_read /
 * xs_get_permissions / xs_directory round trip per node and the writes on
 * the other side.  bench/domain_bench.sh sets up the hosts and interleaves
 * the two.
 *
 *   domain_bench populate SOCKET DOMID NODES   NODES nodes owned by DOMID
 *   domain_bench fill SOCKET ROOT NODES        NODES dom0 nodes under ROOT
 *   domain_bench rm SOCKET PATH
 *   domain_bench copy SRC DST FROM_DOMID TO_DOMID
 *       -> "copy MS NODES"
 *   domain_bench migrate SRC DST FROM_DOMID TO_DOMID PORT SRC_PID DST_PID
 *       -> "migrate DOWNTIME_MS SAVE_MS RESTORE_MS SAVE_CPU_US
 *           RESTORE_CPU_US OCTETS ENGINE_CPU_US"
 * SAVE_CPU and RESTORE_CPU are those of the two xenstored processes
 * (schedstat, ns resolution), ENGINE_CPU this process's; the downtime runs
 * from the quiesce on SRC to the end of the restore on DST, the transfer
 * of the stream through a pipe included.
 */
#include <chrono>
#include <map>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>
#include <unistd.h>

extern "C" {
#include <xenstore.h>
}

#include "engine/domain_mover.h"
#include "xenstored/xenstored_domain_store.h"

namespace {

using Clock = std::chrono::steady_clock;

double Ms(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double, std::milli>(b - a).count();
}

[[noreturn]] void Die(const std::string &why)
{
    std::fprintf(stderr, "domain_bench: %s\n", why.c_str());
    std::exit(1);
}

xs_handle *Open(const char *socket)
{
    setenv("XENSTORED_PATH", socket, 1);
    xs_handle *h = xs_open(0);
    if (!h)
        Die(std::string("cannot connect to ") + socket);
    return h;
}

/* Nanoseconds this process (all its threads) has run. */
long long OwnCpuNs()
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Nanoseconds a process has run, from /proc/PID/schedstat. */
long long CpuNs(const char *pid)
{
    std::string p = std::string("/proc/") + pid + "/schedstat";
    FILE *f = std::fopen(p.c_str(), "r");
    long long ns = 0;
    if (!f || std::fscanf(f, "%lld", &ns) != 1)
        Die("cannot read " + p);
    std::fclose(f);
    return ns;
}

void Write(xs_handle *h, const std::string &path, const std::string &value)
{
    if (!xs_write(h, XBT_NULL, path.c_str(), value.data(), value.size()))
        Die("cannot write " + path);
}

/*
 * nodes below root, at most 100 siblings a directory (a longer list of
 * children would pass the default node-size quota): root/hA/gB/nC.
 */
void WriteTree(xs_handle *h, const std::string &root, unsigned long nodes)
{
    for (unsigned long i = 0; i < nodes; i++)
        Write(h,
              root + "/h" + std::to_string(i / 10000) + "/g" + std::to_string(i / 100 % 100) +
                      "/n" + std::to_string(i % 100),
              "value-" + std::to_string(i));
}

/* The per-node copy: what a toolstack without the engine has to do. */
int CopyTree(xs_handle *src, xs_handle *dst, const std::string &from, const std::string &to,
             unsigned int from_domid, unsigned int to_domid)
{
    unsigned int len = 0, n = 0, np = 0;
    char *value = static_cast<char *>(xs_read(src, XBT_NULL, from.c_str(), &len));
    struct xs_permissions *perms = xs_get_permissions(src, XBT_NULL, from.c_str(), &np);
    char **children = xs_directory(src, XBT_NULL, from.c_str(), &n);
    if (!value || !perms || !children)
        Die("copy: cannot read " + from);
    for (unsigned int i = 0; i < np; i++)
        if (perms[i].id == from_domid)
            perms[i].id = to_domid;
    if (!xs_write(dst, XBT_NULL, to.c_str(), value, len) ||
        !xs_set_permissions(dst, XBT_NULL, to.c_str(), perms, np))
        Die("copy: cannot write " + to);
    int count = 1;
    for (unsigned int i = 0; i < n; i++)
        count += CopyTree(src, dst, from + "/" + children[i], to + "/" + children[i],
                          from_domid, to_domid);
    std::free(value);
    std::free(perms);
    std::free(children);
    return count;
}

/* The stream through a pipe, as to the other host (minus the network). */
std::string Transfer(const std::string &stream)
{
    int fds[2];
    if (pipe(fds))
        Die("pipe");
    std::thread writer([&] {
        size_t off = 0;
        while (off < stream.size()) {
            ssize_t n = write(fds[1], stream.data() + off, stream.size() - off);
            if (n <= 0)
                break;
            off += n;
        }
        close(fds[1]);
    });
    std::string got;
    got.reserve(stream.size());
    char buf[65536];
    ssize_t n;
    while ((n = read(fds[0], buf, sizeof(buf))) > 0)
        got.append(buf, n);
    writer.join();
    close(fds[0]);
    if (got != stream)
        Die("transfer lost octets");
    return got;
}

std::string DomainRoot(unsigned int domid)
{
    return "/local/domain/" + std::to_string(domid);
}

int Migrate(char **argv)
{
    unsigned int from = std::atoi(argv[4]), to = std::atoi(argv[5]);
    unsigned int port = std::atoi(argv[6]);
    xsm::NodePolicy policy;
    std::string why;
    if (!policy.Parse(xsm::NodePolicy::DefaultTemplates(), &why))
        Die(why);
    /* The engine's own connections, each to one host's socket. */
    xsm::XenstoredDomainStore a{std::string(argv[2])}, b{std::string(argv[3])};
    xsm::DomainMover source(a, policy), target(b, policy);
    xsm::StringSink stream;
    xsm::RestoreTarget t{to, from, port, 0};

    /* Connected and probed before the pause, as a toolstack does. */
    for (xsm::DomainMover *m : {&source, &target}) {
        const xsm::Status st = m->Check();
        if (!st.ok())
            Die("probe: " + st.message());
    }

    long long c0 = CpuNs(argv[7]), own0 = OwnCpuNs();
    auto t0 = Clock::now();
    xsm::QuiesceTicket saved;
    xsm::Status st = source.Save(from, stream, &saved);
    if (!st.ok())
        Die("save: " + st.message());
    saved.Commit(); /* the guest's ring is the receiving side's now */
    auto t1 = Clock::now();
    long long c1 = CpuNs(argv[7]), d1 = CpuNs(argv[8]);
    std::string moved = Transfer(stream.str());
    xsm::MemorySource in(moved);
    st = target.Restore(in, false, t);
    if (!st.ok())
        Die("restore: " + st.message());
    auto t2 = Clock::now();
    long long d2 = CpuNs(argv[8]), own2 = OwnCpuNs();
    std::printf("migrate %.3f %.3f %.3f %.1f %.1f %zu %.1f\n", Ms(t0, t2), Ms(t0, t1), Ms(t1, t2),
                (c1 - c0) / 1e3, (d2 - d1) / 1e3, moved.size(), (own2 - own0) / 1e3);
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd == "populate" && argc == 5) {
        xs_handle *h = Open(argv[2]);
        unsigned int domid = std::atoi(argv[3]);
        std::string root = DomainRoot(domid) + "/data";
        /* Owned by the guest: the nodes below inherit it. */
        Write(h, root, "");
        struct xs_permissions p[] = {{domid, XS_PERM_NONE}};
        if (!xs_set_permissions(h, XBT_NULL, root.c_str(), p, 1))
            Die("cannot set permissions of " + root);
        WriteTree(h, root, std::strtoul(argv[4], nullptr, 10));
        return 0;
    }
    if (cmd == "fill" && argc == 5) {
        WriteTree(Open(argv[2]), argv[3], std::strtoul(argv[4], nullptr, 10));
        return 0;
    }
    if (cmd == "rm" && argc == 4) {
        if (!xs_rm(Open(argv[2]), XBT_NULL, argv[3]) && errno != ENOENT)
            Die(std::string("cannot remove ") + argv[3]);
        return 0;
    }
    if (cmd == "copy" && argc == 6) {
        xs_handle *src = Open(argv[2]), *dst = Open(argv[3]);
        unsigned int from = std::atoi(argv[4]), to = std::atoi(argv[5]);
        auto t0 = Clock::now();
        int n = CopyTree(src, dst, DomainRoot(from), DomainRoot(to), from, to);
        std::printf("copy %.3f %d\n", Ms(t0, Clock::now()), n);
        return 0;
    }
    if (cmd == "migrate" && argc == 9)
        return Migrate(argv);
    std::fprintf(stderr, "usage: see bench/domain_bench.cc\n");
    return 2;
}
