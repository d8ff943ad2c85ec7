// SPDX-License-Identifier: LGPL-2.1-only
// The one rule of restore, xenstored's syntax and the bounds, as the
// engine applies them to a stream from an untrusted sender.
#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/restore_rule.h"
#include "engine/state_checker.h"
#include "engine/xs_syntax.h"
#include "stream/byte_io.h"

namespace xsm {
namespace {

const NodePolicy &Policy()
{
    return NodePolicy::Default();
}

NodeState Node(std::string path, std::vector<Perm> perms, std::string value = "v")
{
    NodeState n;
    n.path = std::move(path);
    n.value = std::move(value);
    n.perms = std::move(perms);
    return n;
}

Verdict Judge(const NodeState &n, std::string *why, bool trusted_stream = false,
              std::set<unsigned int> trusted = {})
{
    RuleOptions o;
    o.domid = 5;
    o.trusted = std::move(trusted);
    o.trusted_stream = trusted_stream;
    return JudgeNode(n, Policy().Classify(n.path, 5), o, why);
}

TEST(RestoreRule, TakesTheGuestsOwnNodes)
{
    std::string why;
    EXPECT_EQ(Judge(Node("/local/domain/5/data/x", {{'n', 0, 5}, {'r', 0, 0}}), &why),
              Verdict::kTake);
    EXPECT_EQ(Judge(Node("/local/domain/5/data/x", {{'r', 0, 5}}), &why), Verdict::kTake);
}

TEST(RestoreRule, SkipsWhatTheToolstackWrites)
{
    std::string why;
    for (const char *p : {"/local/domain/5/name", "/local/domain/5/vm", "/local/domain/5/domid",
                          "/local/domain/5/store/port", "/local/domain/5/console/ring-ref",
                          "/local/domain/5/memory/target", "/local/domain/5/cpu/0/availability"})
        EXPECT_EQ(Judge(Node(p, {{'n', 0, 0}, {'r', 0, 5}}), &why), Verdict::kSkip) << p;
    EXPECT_EQ(Judge(Node("/local/domain/0/backend/vif/5/0/state", {{'n', 0, 0}, {'r', 0, 5}}),
                    &why),
              Verdict::kSkip);
    /* Reset, even when the guest owns them. */
    EXPECT_EQ(Judge(Node("/local/domain/5/control/shutdown", {{'n', 0, 5}}), &why),
              Verdict::kSkip);
    EXPECT_EQ(Judge(Node("/local/domain/5/device/suspend/event-channel", {{'n', 0, 5}}), &why),
              Verdict::kSkip);
}

TEST(RestoreRule, LeavesEveryFrontendToTheReceivingHost)
{
    /* A frontend's nodes name the sending host's grant references and
     * event channels: taken, they would wake the new backend into mapping
     * them.  The guest writes them again when it resumes its devices. */
    std::string why;
    for (bool trusted : {false, true}) {
        for (const char *p : {"/local/domain/5/device", "/local/domain/5/device/vbd",
                              "/local/domain/5/device/vbd/51712/state",
                              "/local/domain/5/device/vbd/51712/ring-ref",
                              "/local/domain/5/device/vif/0/event-channel-tx",
                              "/local/domain/5/device/vif/0/request-rx-copy"})
            EXPECT_EQ(Judge(Node(p, {{'n', 0, 5}, {'r', 0, 0}}), &why, trusted), Verdict::kSkip)
                    << p << (trusted ? " (trusted)" : "");
    }
    /* Only the device tree: what the guest wrote elsewhere is its own. */
    for (const char *p : {"/local/domain/5/devices", "/local/domain/5/data/device/x",
                          "/local/domain/5/error/device/vbd/51712/error"})
        EXPECT_EQ(Judge(Node(p, {{'n', 0, 5}}), &why), Verdict::kTake) << p;
}

TEST(RestoreRule, JudgesTheFirstEntryAsEveryOtherDomainsAccess)
{
    std::string why;
    for (char a : {'w', 'b'}) {
        EXPECT_EQ(Judge(Node("/local/domain/0/backend/vif/5/0/state", {{a, 0, 0}}), &why, true),
                  Verdict::kRefuse);
        EXPECT_NE(why.find("would give every domain not listed write access"),
                  std::string::npos)
                << why;
        EXPECT_EQ(Judge(Node("/local/domain/5/name", {{a, 0, 0}}), &why), Verdict::kRefuse);
        /* The guest's own choice for its own node (SET_PERMS). */
        EXPECT_EQ(Judge(Node("/local/domain/5/data/x", {{a, 0, 5}}), &why), Verdict::kTake)
                << why;
        EXPECT_EQ(Judge(Node("/local/domain/5/data/x", {{a, 0, 5}, {'r', 0, 0}}), &why),
                  Verdict::kTake)
                << why;
    }
    EXPECT_EQ(Judge(Node("/local/domain/3/backend/vbd/5/0", {{'b', 0, 3}}), &why, true),
              Verdict::kRefuse);
    EXPECT_EQ(Judge(Node("/local/domain/0/backend/vif/5/0", {{'w', 0, 0}}), &why, true),
              Verdict::kRefuse);
}

TEST(RestoreRule, RefusesWhatOnlyAHostileSenderWrites)
{
    std::string why;
    EXPECT_EQ(Judge(Node("/local/domain/5/data/x", {{'n', 0, 5}, {'r', 0, 7}}), &why),
              Verdict::kRefuse);
    EXPECT_NE(why.find("names domain 7, a third domain"), std::string::npos);
    EXPECT_EQ(Judge(Node("/local/domain/5/data/x", {{'n', 0, 5}, {'r', 0, 7}}), &why, false, {7}),
              Verdict::kTake);
    EXPECT_EQ(Judge(Node("/local/domain/5/data/x", {{'n', 0, 7}}), &why, false, {7}),
              Verdict::kRefuse);
    EXPECT_EQ(Judge(Node("/local/domain/0/backend/vif/5/0", {{'n', 0, 5}}), &why, true),
              Verdict::kRefuse);
    EXPECT_EQ(Judge(Node("/local/domain/0/backend/vif/5/0", {{'n', 0, 0}, {'w', 0, 5}}), &why,
                    true),
              Verdict::kRefuse);
    EXPECT_EQ(Judge(Node("/local/domain/5/data/x", {{'n', 1, 5}}), &why), Verdict::kRefuse);
}

TEST(RestoreRule, SkipsABackendAreaWhateverItsBackendWroteThere)
{
    /* Untrusted, a backend area is never applied: nothing its backend (a
     * driver domain) chose there may refuse the guest's restore. */
    std::string why;
    const char *be = "/local/domain/7/backend/vif/5/0/x";
    for (const std::vector<Perm> &p : std::vector<std::vector<Perm>>{
                 {{'n', 0, 9}},               /* owned by a third domain */
                 {{'n', 0, 5}},               /* by the guest */
                 {{'n', 0, 0}},               /* by dom0 */
                 {{'n', 0, 7}, {'r', 0, 9}},  /* a third domain's entry */
                 {{'w', 0, 7}},               /* every domain may write */
                 {{'n', 0, 7}, {'b', 0, 5}},  /* the guest may write */
                 {{'n', 1, 7}}}) {            /* "ignore" */
        const std::string first = std::string(1, p[0].perm) + std::to_string(p[0].domid);
        EXPECT_EQ(Judge(Node(be, p), &why), Verdict::kSkip) << first << " +" << p.size() - 1;
        EXPECT_EQ(Judge(Node(be, p), &why, true), Verdict::kRefuse) << first;
    }
}

TEST(RestoreRule, TrustedModeTakesTheToolstacksNodesToo)
{
    std::string why;
    EXPECT_EQ(Judge(Node("/local/domain/5/name", {{'n', 0, 0}, {'r', 0, 5}}), &why, true),
              Verdict::kTake);
    EXPECT_EQ(Judge(Node("/local/domain/0/backend/vif/5/0", {{'n', 0, 0}, {'r', 0, 5}}), &why,
                    true),
              Verdict::kTake);
    EXPECT_EQ(Judge(Node("/local/domain/5/control/shutdown", {{'n', 0, 5}}), &why, true),
              Verdict::kSkip);
}

TEST(RestoreRule, WritableFollowsXenstoredsPermissionRules)
{
    using P = XsPermission;
    EXPECT_TRUE(Writable({P{'n', 5}}, 5));
    EXPECT_FALSE(Writable({P{'n', 0}, P{'r', 5}}, 5));
    EXPECT_TRUE(Writable({P{'n', 0}, P{'b', 5}}, 5));
    EXPECT_TRUE(Writable({P{'w', 0}}, 5));
    EXPECT_FALSE(Writable({P{'w', 0}, P{'r', 5}}, 5));
    EXPECT_FALSE(Writable({}, 5));
}

TEST(RestoreRule, JudgesTheNodesToTakeAgainstTheHost)
{
    using P = XsPermission;
    std::map<std::string, std::vector<P>> host = {
            {"/local/domain/9", {P{'n', 9}}},
            {"/local/domain/9/name", {P{'n', 0}, P{'r', 9}}},
            {"/local/domain/9/ro", {P{'n', 0}, P{'r', 9}}},
    };
    HostLookup lookup = [&](const std::string &path, std::vector<P> *perms) {
        auto it = host.find(path);
        *perms = it == host.end() ? std::vector<P>{} : it->second;
        return Status::Ok();
    };
    RuleOptions o;
    o.domid = 5;
    auto check = [&](std::vector<NodeState> nodes) {
        DomainState s;
        s.nodes = std::move(nodes);
        const Status st = CheckAgainstHost(s, Policy(), o, 9, lookup);
        EXPECT_TRUE(st.ok() || st.Is(StatusCode::kBeyondDomain)) << st.ToString();
        return st.message();
    };
    EXPECT_EQ(check({Node("/local/domain/5/data", {{'n', 0, 5}}),
                     Node("/local/domain/5/data/x", {{'n', 0, 5}})}),
              "");
    EXPECT_NE(check({Node("/local/domain/5/name", {{'n', 0, 5}})})
                      .find("exists on this host owned by domain 0"),
              std::string::npos);
    EXPECT_NE(check({Node("/local/domain/5/ro/x", {{'n', 0, 5}})})
                      .find("cannot create nodes under /local/domain/9/ro"),
              std::string::npos);
    EXPECT_NE(check({Node("/local/domain/5/a/b", {{'n', 0, 5}})})
                      .find("neither exists on this host nor is restored"),
              std::string::npos);
}

/* "n5,r0" */
std::vector<Perm> ParsePerms(const std::string &text)
{
    std::vector<Perm> out;
    std::istringstream in(text);
    std::string p;
    while (std::getline(in, p, ','))
        out.push_back(Perm{p[0], 0, static_cast<uint16_t>(std::stoul(p.substr(1)))});
    return out;
}

/*
 * The cases xenstored's restore-domain is tested on too (check-hostile,
 * tests/integration/rule_cases.py): the library's verdict on each, from
 * reading (StateChecker) through the host (CheckAgainstHost) to the sizes
 * (CheckStoredSizes).
 */
TEST(RestoreRule, TheTableOfCases)
{
    std::ifstream table(std::string(XSM_SOURCE_DIR) + "/tests/vectors/restore-rule-cases");
    ASSERT_TRUE(table.good());
    std::string line;
    int n = 0;
    while (std::getline(table, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream in(line);
        std::string name, mode, path, perms, host, value, want, reason;
        in >> name >> mode >> path >> perms >> host >> value >> want;
        std::getline(in >> std::ws, reason);
        ASSERT_FALSE(want.empty()) << line;
        n++;

        RuleOptions o;
        o.domid = 5;
        o.trusted_stream = mode == "trusted";
        if (mode.rfind("trust=", 0) == 0)
            o.trusted.insert(std::stoul(mode.substr(6)));
        XenstoredLimits limits;
        StateChecker checker(Policy(), limits, o);
        ConnectionState conn;
        conn.domid = 5;
        std::string why;
        ASSERT_TRUE(checker.Connection(conn, &why)) << why;

        NodeState node = Node(path, ParsePerms(perms),
                              value == "-" ? "v" : std::string(std::stoul(value), 'x'));
        using P = XsPermission;
        std::map<std::string, std::vector<P>> on_host{{"/local/domain/5", {P{'n', 5}}}};
        std::istringstream items(host == "-" ? "" : host);
        std::string item;
        while (std::getline(items, item, ';')) {
            size_t eq = item.find('=');
            for (const Perm &p : ParsePerms(item.substr(eq + 1)))
                on_host[item.substr(0, eq)].push_back(P{p.perm, p.domid});
        }
        HostLookup lookup = [&](const std::string &p, std::vector<P> *out) {
            auto it = on_host.find(p);
            *out = it == on_host.end() ? std::vector<P>{} : it->second;
            return Status::Ok();
        };

        std::string got;
        bool keep = true;
        if (!checker.Node(node, &keep, &why)) {
            got = "refuse";
        } else if (!keep) {
            got = "skip";
        } else {
            DomainState s;
            s.nodes = {node};
            Status st = CheckAgainstHost(s, Policy(), o, 5, lookup);
            if (st.ok())
                st = CheckStoredSizes(s, limits.node_size);
            if (!st.ok()) {
                EXPECT_TRUE(st.Is(StatusCode::kBeyondDomain) || st.Is(StatusCode::kBadStream))
                        << name << ": " << st.ToString();
                got = "refuse";
                why = st.message();
            } else {
                got = "take";
            }
        }
        EXPECT_EQ(got, want) << name << ": " << why;
        if (!reason.empty()) {
            EXPECT_NE(why.find(reason), std::string::npos) << name << ": " << why;
        }
    }
    EXPECT_GE(n, 30);
}

/* xenstored bounds the record as it stores it, after the rewrite. */
TEST(RestoreRule, StoredSizesCountTheRecordAfterTheRewrite)
{
    Status e;
    /* 24 (header) + 8 (n5) + value: the quota's size itself is refused. */
    DomainState s;
    s.nodes = {Node("/local/domain/5/a", {{'n', 0, 5}}, std::string(2015, 'x'))};
    EXPECT_EQ(StoredNodeSize(s.nodes[0], 0), 2047u);
    EXPECT_TRUE((e = CheckStoredSizes(s, 2048)).ok()) << e.message();
    s.nodes[0].value += 'x';
    EXPECT_EQ((e = CheckStoredSizes(s, 2048)).code(), StatusCode::kBadStream);
    EXPECT_NE(e.message().find("/local/domain/5/a: stored as 2048 octets"), std::string::npos) << e.message();

    /* Children's names count: "b" and "cc" with their NULs, 5 octets. */
    s.nodes = {Node("/local/domain/5/a", {{'n', 0, 5}}, std::string(2011, 'x')),
               Node("/local/domain/5/a/b", {{'n', 0, 5}}), Node("/local/domain/5/a/cc", {{'n', 0, 5}})};
    EXPECT_EQ((e = CheckStoredSizes(s, 2048)).code(), StatusCode::kBadStream);
    EXPECT_NE(e.message().find("stored as 2048 octets"), std::string::npos) << e.message();
    s.nodes.pop_back();
    EXPECT_TRUE((e = CheckStoredSizes(s, 2048)).ok()) << e.message();

    /* A path in the value grows with the new domid: 2047 octets as domain
     * 5's, 2051 as domain 12345's. */
    const std::string tail(2015 - std::string("/local/domain/5/").size(), 'y');
    s.nodes = {Node("/local/domain/5/link", {{'n', 0, 5}}, "/local/domain/5/" + tail)};
    EXPECT_TRUE((e = CheckStoredSizes(s, 2048)).ok()) << e.message();
    RemapDomid(&s, Policy(), 5, 12345);
    EXPECT_EQ(s.nodes[0].value.size(), 2019u);
    EXPECT_EQ((e = CheckStoredSizes(s, 2048)).code(), StatusCode::kBadStream);
    EXPECT_NE(e.message().find("/local/domain/12345/link: stored as 2051 octets"), std::string::npos)
            << e.message();

    /* dom0 writes without the quota. */
    s.nodes = {Node("/local/domain/5/name", {{'n', 0, 0}}, std::string(3000, 'x'))};
    EXPECT_TRUE((e = CheckStoredSizes(s, 2048)).ok()) << e.message();
}

TEST(XsSyntax, NodePathsAsXenstoredTakesThem)
{
    std::string why;
    EXPECT_TRUE(CheckNodePath("/", 2048, &why));
    EXPECT_TRUE(CheckNodePath("/local/domain/5/a-b_c@1", 2048, &why));
    for (const char *bad : {"", "rel", "/a/", "/a//b", "/a/../b", "/a/.", "/a b", "/a\nb",
                            "/a*b", "/a:b"})
        EXPECT_FALSE(CheckNodePath(bad, 2048, &why)) << bad;
    /* path-max counts below /local/domain/<id>/. */
    std::string rel(2048, 'x');
    EXPECT_TRUE(CheckNodePath("/local/domain/5/" + rel, 2048, &why));
    EXPECT_FALSE(CheckNodePath("/local/domain/5/" + rel + "x", 2048, &why));
    EXPECT_FALSE(CheckNodePath("/" + rel + "x", 2048, &why));
}

/* Every octet, next to a slash on either side or not: accepted exactly
 * when xenstored's is_valid_nodename() takes it, and the reason given is
 * the first that applies. */
TEST(XsSyntax, EveryOctetAndEveryPairWithASlash)
{
    auto xenstored_takes = [](unsigned char c) {
        return std::isalnum(c) || std::strchr("-/_@", c);
    };
    std::string why;
    for (int i = 0; i < 256; i++) {
        const char c = static_cast<char>(i);
        const bool ok = i && xenstored_takes(static_cast<unsigned char>(i));
        for (const std::string &p : {std::string("/a") + c + "b", std::string("/a/") + c + "b",
                                     std::string("/a") + c + "/b"}) {
            const bool twice = p.find("//") != std::string::npos;
            EXPECT_EQ(CheckNodePath(p, 2048, &why), ok && !twice) << "octet " << i << " in " << p;
        }
    }
    EXPECT_FALSE(CheckNodePath("/a?//b", 2048, &why));
    EXPECT_NE(why.find("contains \"//\""), std::string::npos) << why;
    EXPECT_FALSE(CheckNodePath("/a/?b", 2048, &why));
    EXPECT_NE(why.find("has a character xenstored refuses"), std::string::npos) << why;
}

TEST(XsSyntax, WatchPathsPermsAndFraming)
{
    std::string why;
    EXPECT_TRUE(CheckWatchPath("@introduceDomain", 5, 2048, &why));
    EXPECT_FALSE(CheckWatchPath("@" + std::string(2048, 'x'), 5, 2048, &why));
    EXPECT_TRUE(CheckWatchPath("device", 5, 2048, &why));
    EXPECT_FALSE(CheckWatchPath("device/", 5, 2048, &why));
    EXPECT_FALSE(CheckWatchPath("", 5, 2048, &why));
    EXPECT_TRUE(CheckPerm({'r', 1, 3}, &why));
    EXPECT_FALSE(CheckPerm({'x', 0, 3}, &why));
    EXPECT_FALSE(CheckPerm({'r', 2, 3}, &why));
    EXPECT_FALSE(CheckPerm({'r', 0, 0x7ff0}, &why));

    auto msg = [](uint32_t len) {
        std::string m(16, '\0');
        std::memcpy(&m[12], &len, 4);
        return m + std::string(len > 100 ? 0 : len, 'p');
    };
    EXPECT_TRUE(CheckMessages(msg(3) + msg(0), 0, false, &why));
    EXPECT_TRUE(CheckMessages("ab" + msg(1), 2, false, &why));
    EXPECT_FALSE(CheckMessages(msg(3).substr(0, 18), 0, false, &why));
    EXPECT_TRUE(CheckMessages(msg(3).substr(0, 18), 0, true, &why));
    EXPECT_FALSE(CheckMessages(msg(4097), 0, true, &why));
    EXPECT_FALSE(CheckMessages("ab", 3, false, &why));
}

TEST(Bounds, ChargedToTheDomainWhileReading)
{
    XenstoredLimits l;
    l.memory = 1000;
    RuleOptions o;
    o.domid = 5;
    StateChecker c(Policy(), l, o);
    std::string why;
    ConnectionState conn;
    conn.domid = 5;
    EXPECT_TRUE(c.Connection(conn, &why)) << why;
    bool keep = true;
    EXPECT_TRUE(c.Node(Node("/local/domain/5/a", {{'n', 0, 5}}, std::string(500, 'v')), &keep,
                       &why))
            << why;
    EXPECT_TRUE(keep);
    EXPECT_FALSE(c.Node(Node("/local/domain/5/b", {{'n', 0, 5}}, std::string(500, 'v')), &keep,
                        &why));
    EXPECT_NE(why.find("more than xenstored's memory quota 1000"), std::string::npos) << why;
    /* A skipped node costs nothing and is not kept. */
    keep = true;
    EXPECT_TRUE(c.Node(Node("/local/domain/5/name", {{'n', 0, 0}}, std::string(1000, 'v')),
                       &keep, &why));
    EXPECT_FALSE(keep);
    /* The stream itself. */
    Origin at;
    at.offset = l.StreamMax();
    EXPECT_FALSE(c.Record(at, 0, &why));

    conn.out_data.assign(2000, '\0');
    StateChecker c2(Policy(), l, o);
    EXPECT_FALSE(c2.Connection(conn, &why));
}

} // namespace
} // namespace xsm
