// SPDX-License-Identifier: LGPL-2.1-only
/*
 * Structure-aware fuzzing of the restore checks: the input bytes drive a
 * generator of domain states that always encode to a stream that decodes
 * (a connection, watches, transactions, nodes), with paths built from the
 * components that matter (the guest's and other domains' areas, backend
 * areas, toolstack nodes, "..", "//", odd octets), permissions with every
 * owner, access, flag and domid, and sizes around xenstored's quotas.
 * The stream then goes through what a receiving host does: read with the
 * checker as filter, the host check, the domid rewrite.
 *
 * Besides crashes, it checks the rule itself on what is accepted: only
 * nodes the guest owns in its own area, no write for unlisted domains but
 * on the guest's own nodes, no third domain, valid paths, bounds kept, the
 * same verdict read as a stream or checked afterwards, and acceptance
 * again after the rewrite.
 */
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "engine/domain_state.h"
#include "engine/restore_rule.h"
#include "engine/state_checker.h"
#include "engine/xs_syntax.h"
#include "stream/byte_io.h"
#include "stream/format.h"

namespace {

using namespace xsm;

constexpr unsigned kGuest = 5;
constexpr unsigned kTrusted = 3;

/* Consumes the fuzz input; zeros once it is used up. */
class Gen {
public:
    Gen(const uint8_t *p, size_t n) : p_(p), n_(n) {}
    uint8_t Byte() { return pos_ < n_ ? p_[pos_++] : 0; }
    uint16_t U16() { return static_cast<uint16_t>(Byte() | Byte() << 8); }
    /* One in `in`; never once the input is used up. */
    bool Chance(unsigned in) { return Byte() % in == 1; }
    template <size_t N>
    const char *Pick(const char *const (&a)[N]) { return a[Byte() % N]; }

private:
    const uint8_t *p_;
    size_t n_, pos_ = 0;
};

const char *const kComponents[] = {
        "local", "domain", "5", "0", "3", "7", "05", "55", "backend", "vif", "vbd", "data",
        "device", "control", "shutdown", "suspend", "event-channel", "name", "vm", "domid",
        "store", "port", "x", "..", ".", "", "a b", "@", "-_", "\xff", "\n", "*", "tool"};
const char *const kRoots[] = {
        "/local/domain/5", "/local/domain/5/data", "/local/domain/5/device/vif/0",
        "/local/domain/0/backend/vif/5/0", "/local/domain/3/backend/vbd/5/768",
        "/local/domain/7", "/local/domain/0", "/", "", "local/domain/5", "/local/domain/5/control",
        "/local/domain/5/device/suspend"};

const char *const kNames[] = {"data", "x", "y", "device", "vif", "0", "state", "name", "vm"};

std::string Path(Gen &g)
{
    if (!g.Chance(3)) { /* the guest's own area, ordinary names */
        std::string p = kRoots[g.Byte() % 3];
        for (unsigned i = g.Byte() % 3; i > 0; i--)
            p += std::string("/") + g.Pick(kNames);
        return p;
    }
    std::string p = g.Pick(kRoots);
    for (unsigned i = g.Byte() % 4; i > 0; i--)
        p += std::string("/") + g.Pick(kComponents);
    switch (g.Byte() % 16) {
    case 0: p += '/'; break;
    case 1: p.insert(p.size() / 2, "/"); break;
    case 2: p += "/" + std::string(g.U16() % 2100, 'l'); break;
    case 3: if (!p.empty()) p[g.Byte() % p.size()] = static_cast<char>(g.Byte()); break;
    default: break;
    }
    return p;
}

std::vector<Perm> Perms(Gen &g)
{
    static const uint16_t domids[] = {kGuest, 0, kTrusted, 7};
    /* Mostly what toolstacks and guests write, so that streams pass. */
    if (!g.Chance(3)) {
        switch (g.Byte() % 4) {
        case 0: return {{'n', 0, kGuest}};
        case 1: return {{'n', 0, 0}, {'r', 0, kGuest}};
        case 2: return {{'n', 0, kGuest}, {'r', 0, 0}};
        default: return {{'r', 0, kGuest}, {'b', 0, 0}};
        }
    }
    std::vector<Perm> out;
    for (unsigned i = g.Byte() % 7; i > 0; i--) {
        uint8_t b = g.Byte();
        Perm p;
        p.perm = (b & 0xc0) == 0xc0 ? static_cast<char>(g.Byte()) : "nrwb"[b & 3];
        p.flags = (b & 0x30) == 0x30 ? (b >> 2) & 3 : 0;
        p.domid = (b & 0x08) && g.Chance(4) ? g.U16() : domids[(b >> 4) & 3];
        out.push_back(p);
    }
    return out;
}

/* Messages of the wire protocol, or junk. */
std::string Messages(Gen &g)
{
    std::string out;
    for (unsigned i = g.Byte() % 4; i > 0; i--) {
        uint32_t len = g.Chance(8) ? g.U16() : g.Byte() % 64;
        std::string m(16, '\0');
        std::memcpy(&m[12], &len, 4);
        out += m + std::string(g.Chance(8) ? len / 2 : len, 'm');
    }
    return out;
}

DomainState Generate(Gen &g)
{
    DomainState s;
    s.conn.conn_id = 1;
    s.conn.domid = g.Chance(32) ? g.Byte() : kGuest;
    s.conn.tdomid = g.Chance(32) ? 0 : kDomidInvalid;
    s.conn.evtchn = 1;
    s.conn.in_data = Messages(g);
    s.conn.out_data = Messages(g);
    s.conn.out_resp_len = g.Chance(8) ? g.Byte() % 32 : 0;
    if (s.conn.out_resp_len > s.conn.out_data.size() && !g.Chance(4))
        s.conn.out_resp_len = 0;
    for (unsigned i = g.Byte() % 6; i > 0; i--) {
        WatchState w;
        w.path = g.Chance(4) ? "@releaseDomain" : Path(g);
        w.token = std::string(g.Chance(8) ? g.U16() % 4200 : g.Byte() % 8, 't');
        s.watches.push_back(w);
    }
    for (unsigned i = g.Byte() % 4; i > 0; i--)
        s.transactions.push_back({static_cast<uint32_t>(g.Chance(16) ? 0 : 1 + g.Byte() % 4)});
    for (unsigned i = g.Byte() % 64; i > 0; i--) {
        NodeState n;
        n.path = Path(g);
        n.value = std::string(g.Chance(8) ? g.U16() % 2200 : g.Byte() % 16, 'v');
        n.perms = Perms(g);
        if (g.Chance(8))
            n.tx_id = 1 + g.Byte() % 4;
        s.nodes.push_back(std::move(n));
    }
    return s;
}

const NodePolicy &Policy()
{
    return NodePolicy::Default();
}

/* The receiving host: a toolstack's home for the guest (as domain 9). */
Status Host(const std::string &path, std::vector<XsPermission> *perms)
{
    using P = XsPermission;
    static const std::map<std::string, std::vector<P>> host = {
            {"/local/domain/9", {P{'n', 9}}},
            {"/local/domain/9/name", {P{'n', 0}, P{'r', 9}}},
            {"/local/domain/9/vm", {P{'n', 0}, P{'r', 9}}},
            {"/local/domain/9/data", {P{'n', 9}}},
            {"/local/domain/9/ro", {P{'r', 0}}},
            {"/local/domain/9/open", {P{'w', 0}}},
    };
    auto it = host.find(path);
    *perms = it == host.end() ? std::vector<P>{} : it->second;
    return Status::Ok();
}

void Check(bool ok)
{
    if (!ok)
        std::abort();
}

/* What an untrusted restore may keep: the rule, restated. */
void CheckAccepted(const DomainState &s, const XenstoredLimits &l, const RuleOptions &o)
{
    const std::string home = "/local/domain/" + std::to_string(o.domid);
    long owned = 0;
    for (const NodeState &n : s.nodes) {
        std::string why;
        Check(!n.pending() && !n.perms.empty());
        Check(CheckNodePath(n.path, l.path_max, &why));
        Check(static_cast<long>(n.value.size()) <= l.node_size);
        for (const Perm &p : n.perms)
            Check(p.domid == o.domid || p.domid == 0 || o.trusted.count(p.domid) ||
                  (o.trusted_stream && Policy().Classify(n.path, o.domid).owner == p.domid));
        /* Every unlisted domain may write only where the guest chose so, on its own node. */
        Check(n.perms[0].perm == 'n' || n.perms[0].perm == 'r' || n.perms[0].domid == o.domid);
        Check(!(n.perms[0].flags & 1));
        Check(n.path != home + "/control/shutdown" &&
              n.path != home + "/device/suspend/event-channel");
        if (!o.trusted_stream) {
            Check(n.perms[0].domid == o.domid);
            Check(n.path == home || n.path.compare(0, home.size() + 1, home + "/") == 0);
            owned++;
        }
    }
    Check(owned <= l.nodes);
    Check(static_cast<long>(s.watches.size()) <= l.watches);
    Check(static_cast<long>(s.transactions.size()) <= l.transactions);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Gen g(data, size);
    RuleOptions o;
    o.domid = kGuest;
    o.trusted_stream = g.Chance(4);
    if (g.Chance(4))
        o.trusted.insert(kTrusted);
    XenstoredLimits l;
    l.nodes = 1 + g.Byte() % 30;
    l.watches = 1 + g.Byte() % 5;
    l.transactions = 1 + g.Byte() % 3;
    l.memory = 1000 + g.U16();
    DomainState gen = Generate(g);

    StringSink sink;
    EncodeOptions eo;
    std::string why;
    if (!WriteDomainState(gen, sink, eo, &why))
        return 0;
    const std::string stream = sink.str();

    /* As the restorer reads it: checked record by record. */
    StateChecker checker(Policy(), l, o);
    ReaderOptions ro;
    ro.max_record_len = static_cast<uint32_t>(l.StreamMax());
    MemorySource src(stream);
    DomainState st;
    Status read = ReadDomainState(src, ro, &st, &checker);
    bool ok = read.ok();
    why = read.message();

    /* The same verdict when checked after reading (within the stream bound). */
    MemorySource again(stream);
    DomainState all;
    if (stream.size() <= l.StreamMax() && ReadDomainState(again, ReaderOptions{}, &all).ok())
        Check(ok == CheckDomainState(all, Policy(), l, o, &why));
    static const bool stats = std::getenv("RESTORE_FUZZER_STATS") != nullptr;
    if (stats)
        std::fprintf(stderr, "verdict %s nodes %zu %s\n", ok ? "accepted" : "refused",
                     st.nodes.size(), ok ? "" : why.c_str());
    if (!ok)
        return 0;
    CheckAccepted(st, l, o);

    if (!o.trusted_stream && CheckAgainstHost(st, Policy(), o, 9, Host).ok()) {
        for (const NodeState &n : st.nodes) {
            std::vector<XsPermission> perms;
            Check(Host(Policy().Remap(n.path, kGuest, 9), &perms).ok());
            Check(perms.empty() || perms[0].domid == 9);
        }
    }

    /* Rewritten for domain 9, it is domain 9's own. */
    RemapDomid(&st, Policy(), kGuest, 9);
    StringSink out;
    if (!WriteDomainState(st, out, eo, &why))
        std::abort();
    RuleOptions o9 = o;
    o9.domid = 9;
    StateChecker checker9(Policy(), l, o9);
    MemorySource back(out.str());
    DomainState st9;
    Check(ReadDomainState(back, ro, &st9, &checker9).ok());
    return 0;
}
