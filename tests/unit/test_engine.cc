/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The engine's pure parts: which nodes belong to a domain, what a
 * receiving host refuses from an untrusted stream, how a state is
 * rewritten for a new domid, and per-domain streams in and out.
 */
#include <gtest/gtest.h>

#include <map>

#include "engine/domain_state.h"
#include "engine/node_policy.h"
#include "engine/path_table.h"
#include "engine/state_checker.h"
#include "vector_builder.h"

using namespace xsm;
using namespace xsm_test;

namespace {

NodePolicy Default()
{
    NodePolicy p;
    std::string why;
    EXPECT_TRUE(p.Parse(NodePolicy::DefaultTemplates(), &why)) << why;
    return p;
}

TEST(NodePolicy, ClassifiesOwnAndBackendAreas)
{
    NodePolicy p = Default();
    EXPECT_TRUE(p.Classify("/local/domain/5", 5).inside);
    EXPECT_EQ(p.Classify("/local/domain/5/data/x", 5).owner, 5);
    NodePolicy::Area be = p.Classify("/local/domain/0/backend/vif/5/0/mac", 5);
    EXPECT_TRUE(be.inside);
    EXPECT_EQ(be.owner, 0);
    EXPECT_EQ(be.domid_component, 5u);
    EXPECT_EQ(p.Classify("/local/domain/7/backend/vbd/5", 5).owner, 7);

    EXPECT_FALSE(p.Classify("/local/domain/0", 5).inside);
    EXPECT_FALSE(p.Classify("/local/domain/0/foo", 5).inside);
    EXPECT_FALSE(p.Classify("/local/domain/55/data", 5).inside);
    EXPECT_FALSE(p.Classify("/local/domain/0/backend/vif/6/0", 5).inside);
    EXPECT_FALSE(p.Classify("/local/domain/x/backend/vif/5", 5).inside); /* not a domid */
    EXPECT_FALSE(p.Classify("@releaseDomain", 5).inside);
    EXPECT_FALSE(p.Classify("/vm/5", 5).inside);
}

TEST(NodePolicy, TemplatesAreChecked)
{
    NodePolicy p;
    std::string why;
    EXPECT_FALSE(p.Parse({"local/domain/$DOMID"}, &why));
    EXPECT_NE(why.find("not an absolute path"), std::string::npos);
    EXPECT_FALSE(p.Parse({"/local/domain/*"}, &why));
    EXPECT_NE(why.find("$DOMID exactly once"), std::string::npos);
    EXPECT_TRUE(p.Parse({"/vm/$DOMID"}, &why));
    EXPECT_TRUE(p.Classify("/vm/5/name", 5).inside);
    EXPECT_EQ(p.Classify("/vm/5/name", 5).owner, -1);
}

TEST(NodePolicy, RemapChangesOnlyTheDomidComponent)
{
    NodePolicy p = Default();
    EXPECT_EQ(p.Remap("/local/domain/5/data/5", 5, 9), "/local/domain/9/data/5");
    EXPECT_EQ(p.Remap("/local/domain/0/backend/vbd/5/51712", 5, 9),
              "/local/domain/0/backend/vbd/9/51712");
    EXPECT_EQ(p.Remap("/local/domain/3/data", 5, 9), "/local/domain/3/data");
}

/* A domain's own paths take a short way (no split, in place): the same
 * answers as the template walk, which a policy without the home template
 * first still takes. */
TEST(NodePolicy, HomePathsTakeTheSameAnswersTheShortWay)
{
    NodePolicy home = Default();
    NodePolicy walk;
    std::string why;
    /* The same areas, the home template not first: no short way. */
    ASSERT_TRUE(walk.Parse({"/local/domain/*/backend/*/$DOMID", "/local/domain/$DOMID"}, &why));
    const char *paths[] = {"/local/domain/5",         "/local/domain/5/data/x",
                           "/local/domain/55/data",   "/local/domain/5x",
                           "/local/domain/05/data",   "/local/domain/5//a",
                           "/local/domain/50000/a",   "/local/domain/",
                           "/local/domain/0/backend/vif/5/0"};
    for (const char *path : paths) {
        for (unsigned int domid : {5u, 50000u, 0x7ff0u}) {
            NodePolicy::Area a = home.Classify(path, domid), b = walk.Classify(path, domid);
            EXPECT_EQ(a.inside, b.inside) << path << " " << domid;
            EXPECT_EQ(a.owner, b.owner) << path << " " << domid;
            EXPECT_EQ(a.domid_component, b.domid_component) << path << " " << domid;
            /* An id of another length, and ids of the same length. */
            for (unsigned int to : {123u, 4u, 12345u}) {
                std::string in_place = path;
                home.RemapInPlace(&in_place, domid, to);
                EXPECT_EQ(in_place, walk.Remap(path, domid, to))
                        << path << " " << domid << " -> " << to;
            }
        }
    }
}

TEST(PathTable, KeepsEveryKeyThroughGrowth)
{
    std::vector<std::string> keys;
    for (int i = 0; i < 5000; i++)
        keys.push_back("/local/domain/5/data/" + std::to_string(i));
    PathTable<size_t> t(10); /* far too small: it grows */
    for (size_t i = 0; i < keys.size(); i++) {
        bool added = false;
        t.At(keys[i], &added) = i;
        EXPECT_TRUE(added);
    }
    for (size_t i = 0; i < keys.size(); i++) {
        bool added = true;
        EXPECT_EQ(t.At(keys[i], &added), i);
        EXPECT_FALSE(added);
        ASSERT_NE(t.Get(keys[i]), nullptr);
    }
    EXPECT_FALSE(t.Contains("/local/domain/5/data"));
    EXPECT_FALSE(t.Contains(""));
}

/* Keys that differ only past a multiple of eight octets, or by a NUL that
 * the hash's zero-padded last word would not show. */
TEST(PathTable, TellsKeysApartInTheirLastWord)
{
    const std::vector<std::string> keys{"",        std::string(1, '\0'), "12345678",
                                        "12345678" + std::string(1, '\0'), "1234567",
                                        "12345679", "123456789", "12345678a"};
    PathTable<size_t> t(2);
    for (size_t i = 0; i < keys.size(); i++) {
        bool added = false;
        t.At(keys[i], &added) = i;
        EXPECT_TRUE(added) << i;
    }
    for (size_t i = 0; i < keys.size(); i++) {
        const size_t *v = t.Get(keys[i]);
        ASSERT_NE(v, nullptr) << i;
        EXPECT_EQ(*v, i);
    }
    EXPECT_FALSE(t.Contains("1234567" + std::string(1, '\0')));
}

/* A domain state as a sender would put it in the stream. */
DomainState Sample(unsigned int domid = 5)
{
    DomainState s;
    s.conn.conn_id = 1;
    s.conn.domid = static_cast<uint16_t>(domid);
    s.conn.evtchn = 3;
    s.watches.push_back({"/local/domain/" + std::to_string(domid) + "/data", "tok"});
    s.watches.push_back({"device", "rel"});
    s.transactions.push_back({4});
    auto node = [&](std::string path, std::string value, std::vector<Perm> perms) {
        NodeState n;
        n.path = std::move(path);
        n.value = std::move(value);
        n.perms = std::move(perms);
        n.at.index = static_cast<int64_t>(s.nodes.size()) + 4;
        n.at.type = 5;
        s.nodes.push_back(n);
    };
    uint16_t d = static_cast<uint16_t>(domid);
    const std::string home = "/local/domain/" + std::to_string(domid);
    node(home, "", {{'n', 0, 0}, {'r', 0, d}});
    node(home + "/domid", std::to_string(domid), {{'n', 0, 0}, {'r', 0, d}});
    node(home + "/data", "", {{'n', 0, d}});
    node(home + "/data/x", "1", {{'n', 0, d}, {'r', 0, 0}});
    node(home + "/device/vif/0/backend",
         "/local/domain/0/backend/vif/" + std::to_string(domid) + "/0", {{'n', 0, d}, {'r', 0, 0}});
    node("/local/domain/0/backend/vif/" + std::to_string(domid) + "/0/state", "4",
         {{'n', 0, 0}, {'r', 0, d}});
    return s;
}

bool Check(const DomainState &s, std::string *why, unsigned int domid = 5,
           XenstoredLimits limits = {}, std::set<unsigned int> trusted = {},
           bool trusted_stream = false)
{
    CheckOptions o;
    o.domid = domid;
    o.trusted = std::move(trusted);
    o.trusted_stream = trusted_stream;
    return CheckDomainState(s, Default(), limits, o, why);
}

TEST(StateChecker, AcceptsAnOrdinaryDomain)
{
    std::string why;
    EXPECT_TRUE(Check(Sample(), &why)) << why;
}

TEST(StateChecker, RefusesNodesOutsideTheDomain)
{
    DomainState s = Sample();
    s.nodes[3].path = "/local/domain/0/evil";
    std::string why;
    EXPECT_FALSE(Check(s, &why));
    EXPECT_EQ(why, "record #7 (NODE_DATA) at offset 0: path /local/domain/0/evil is outside "
                   "domain 5's nodes");
    s = Sample();
    s.nodes[0].path = "/tool/xenstored/quota";
    EXPECT_FALSE(Check(s, &why));
}

TEST(StateChecker, RefusesPermissionsForThirdDomains)
{
    DomainState s = Sample();
    s.nodes[3].perms.push_back({'r', 0, 7});
    std::string why;
    EXPECT_FALSE(Check(s, &why));
    EXPECT_NE(why.find("names domain 7, a third domain"), std::string::npos) << why;
    /* ... unless that domain is trusted (a driver domain). */
    EXPECT_TRUE(Check(s, &why, 5, {}, {7})) << why;
}

TEST(StateChecker, RefusesRightsOnOtherDomainsNodes)
{
    /* Backend nodes are judged where they are applied: in trusted mode. */
    DomainState s = Sample();
    s.nodes[5].perms[0].domid = 5; /* backend node owned by the guest */
    std::string why;
    EXPECT_FALSE(Check(s, &why, 5, {}, {}, true));
    EXPECT_NE(why.find("backend node owned by domain 5, not by its backend 0"), std::string::npos)
            << why;
    EXPECT_TRUE(Check(s, &why)) << why; /* untrusted: skipped with its area */

    s = Sample();
    s.nodes[5].perms[1].perm = 'b'; /* guest may write the backend's node */
    EXPECT_FALSE(Check(s, &why, 5, {}, {}, true));
    EXPECT_NE(why.find("grant domain 5 'b' access (at most 'r')"), std::string::npos) << why;

    s = Sample();
    s.nodes[2].perms[0].domid = 3; /* own node handed to another domain */
    EXPECT_FALSE(Check(s, &why, 5, {}, {3}));
    EXPECT_NE(why.find("owned by domain 3 in domain 5's area"), std::string::npos);
}

TEST(StateChecker, RefusesAnotherDomainsConnection)
{
    DomainState s = Sample();
    s.conn.domid = 6;
    std::string why;
    EXPECT_FALSE(Check(s, &why));
    EXPECT_NE(why.find("the connection is domain 6's, not domain 5's"), std::string::npos);
    s = Sample();
    s.conn.tdomid = 2;
    EXPECT_FALSE(Check(s, &why));
}

TEST(StateChecker, RefusesWhatExceedsQuotas)
{
    XenstoredLimits l;
    std::string why;
    DomainState s = Sample();
    s.nodes[3].value.assign(2049, 'v');
    EXPECT_FALSE(Check(s, &why, 5, l));
    EXPECT_NE(why.find("2049 octets, more than xenstored's node-size quota 2048"),
              std::string::npos);

    s = Sample();
    l.watches = 1;
    EXPECT_FALSE(Check(s, &why, 5, l));
    EXPECT_NE(why.find("more than 1 watches (xenstored's quota)"), std::string::npos);

    l = XenstoredLimits{};
    l.transactions = 0;
    EXPECT_FALSE(Check(s, &why, 5, l));

    /* Two nodes taken (data, data/x): the frontend is the receiver's. */
    l = XenstoredLimits{};
    l.nodes = 1;
    EXPECT_FALSE(Check(s, &why, 5, l));
    EXPECT_NE(why.find("more than 1 nodes owned by domain 5"), std::string::npos);
    l.nodes = 2;
    EXPECT_TRUE(Check(s, &why, 5, l)) << why;

    l = XenstoredLimits{};
    l.permissions = 1;
    EXPECT_FALSE(Check(s, &why, 5, l));

    s = Sample();
    s.nodes.push_back(s.nodes[3]);
    EXPECT_FALSE(Check(s, &why));
    EXPECT_NE(why.find("appears twice"), std::string::npos);
}

TEST(StateChecker, LimitsComeFromXenstoredsQuotaReply)
{
    XenstoredLimits l = XenstoredLimits::From({{"nodes", 50}, {"node-size", 100}, {"x", 3}});
    EXPECT_EQ(l.nodes, 50);
    EXPECT_EQ(l.node_size, 100);
    EXPECT_EQ(l.watches, 128);
}

TEST(Remap, RewritesTheDomainForItsNewDomid)
{
    DomainState s = Sample(5);
    RemapDomid(&s, Default(), 5, 12);
    EXPECT_EQ(s.conn.domid, 12);
    EXPECT_EQ(s.watches[0].path, "/local/domain/12/data");
    EXPECT_EQ(s.watches[1].path, "device"); /* relative: the guest's own */
    EXPECT_EQ(s.nodes[0].path, "/local/domain/12");
    EXPECT_EQ(s.nodes[0].perms[1].domid, 12);
    EXPECT_EQ(s.nodes[1].value, "12");      /* libxl's domid node */
    EXPECT_EQ(s.nodes[3].value, "1");       /* the guest's data stays */
    EXPECT_EQ(s.nodes[4].value, "/local/domain/0/backend/vif/12/0");
    EXPECT_EQ(s.nodes[5].path, "/local/domain/0/backend/vif/12/0/state");
    EXPECT_EQ(s.nodes[5].perms[0].domid, 0);
    std::string why;
    EXPECT_TRUE(Check(s, &why, 12)) << why;  /* the result is the new domain's own */
}

TEST(DomainStream, WrittenStateReadsBackTheSame)
{
    DomainState s = Sample();
    s.conn.out_data = std::string("ev\0ent", 6);
    s.nodes[3].tx_id = 4;
    s.nodes[3].access = kAccessWritten;
    StringSink sink;
    EncodeOptions eo;
    std::string why;
    ASSERT_TRUE(WriteDomainState(s, sink, eo, &why)) << why;

    MemorySource src(sink.str());
    DomainState back;
    Status st = ReadDomainState(src, ReaderOptions{}, &back);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(back.conn.out_data, s.conn.out_data);
    ASSERT_EQ(back.watches.size(), 2u);
    EXPECT_EQ(back.watches[1].token, "rel");
    ASSERT_EQ(back.transactions.size(), 1u);
    EXPECT_EQ(back.transactions[0].tx_id, 4u);
    ASSERT_EQ(back.nodes.size(), s.nodes.size());
    EXPECT_TRUE(back.nodes[3].pending());
    EXPECT_EQ(back.nodes[5].path, s.nodes[5].path);
    EXPECT_EQ(back.nodes[5].perms[1].perm, 'r');
    EXPECT_EQ(back.nodes[5].at.index, 9);
}

TEST(DomainStream, ScanCountsWhatReadKeeps)
{
    DomainState s = Sample();
    s.nodes[3].tx_id = 4; /* Sample's open transaction */
    StringSink sink;
    std::string why;
    ASSERT_TRUE(WriteDomainState(s, sink, EncodeOptions{}, &why)) << why;

    MemorySource a(sink.str()), b(sink.str());
    DomainState read;
    Status st = ReadDomainState(a, ReaderOptions{}, &read);
    ASSERT_TRUE(st.ok()) << st.ToString();
    const StateCounts want = StateCounts::Of(read);
    ConnectionState conn;
    StateCounts got;
    st = ScanDomainState(b, ReaderOptions{}, &conn, &got);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(got.nodes, want.nodes);
    EXPECT_EQ(got.pending, 1u);
    EXPECT_EQ(got.pending, want.pending);
    EXPECT_EQ(got.transactions, want.transactions);
    EXPECT_EQ(got.watches, want.watches);
    EXPECT_EQ(conn.domid, read.conn.domid);

    /* What Read refuses, Scan refuses. */
    const std::string cut = sink.str().substr(0, sink.str().size() - 5);
    MemorySource c(cut), d(cut);
    Status by_read = ReadDomainState(c, ReaderOptions{}, &read);
    Status by_scan = ScanDomainState(d, ReaderOptions{}, &conn, &got);
    EXPECT_EQ(by_read.code(), StatusCode::kBadStream);
    EXPECT_EQ(by_scan.code(), by_read.code());
    EXPECT_EQ(by_scan.message(), by_read.message());
}

TEST(DomainStream, RefusesWhatIsNotOneDomainsState)
{
    auto read = [](const std::string &s) {
        MemorySource src(s);
        DomainState st;
        Status refused = ReadDomainState(src, ReaderOptions{}, &st);
        EXPECT_EQ(refused.code(), StatusCode::kBadStream) << refused.ToString();
        return refused.message();
    };
    Octets g(false);
    g.u32(3).u32(4);
    EXPECT_NE(read(Header(1, false) + Rec(false, 1, g.str()) + End(false))
                      .find("GLOBAL_DATA belongs to a live-update image"),
              std::string::npos);
    EXPECT_NE(read(Header(1, false) + End(false)).find("no CONNECTION_DATA"), std::string::npos);
    Octets sock(false);
    sock.u32(1).u16(1).u16(0).u32(9).u32(0).u16(0).u16(0).u32(0);
    EXPECT_NE(read(Header(1, false) + Rec(false, 2, sock.str()) + End(false))
                      .find("a socket connection"),
              std::string::npos);
}

/* One unknown record is told from another by its code, as the reader's
 * own errors do. */
TEST(DomainStream, NamesAnUnknownRecordByItsCode)
{
    std::string s = Header(1, false) + Rec(false, 0x99, "") + End(false);
    MemorySource src(s);
    DomainState st;
    Status refused = ReadDomainState(src, ReaderOptions{}, &st);
    EXPECT_EQ(refused.message(), "record #0 (UNKNOWN 0x00000099) at offset 16: record type from "
                                 "the reserved range in a domain's state");
}

} // namespace
