/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Every record type, decoded from octets built by hand from the spec's
 * tables, in both byte orders (and both CONNECTION_DATA layouts).
 */
#include <gtest/gtest.h>

#include "parse_helpers.h"
#include "vector_builder.h"

using namespace xsm;
using namespace xsm_test;

namespace {

class RecordsTest : public ::testing::TestWithParam<bool> {
protected:
    bool big() const { return GetParam(); }
    Octets O() const { return Octets(big()); }
    std::string Stream(const std::string &records, uint32_t version = 1) const
    {
        return Header(version, big()) + records + End(big());
    }
};

TEST_P(RecordsTest, HeaderAndEnd)
{
    std::string s = Stream("");
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    EXPECT_EQ(p.ctx.version, 1u);
    EXPECT_EQ(p.ctx.endian, big() ? Endian::Big : Endian::Little);
    ASSERT_EQ(p.records.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<EndRecord>(p.records[0].record));
    EXPECT_EQ(p.records[0].raw.offset, 16u);
}

TEST_P(RecordsTest, GlobalData)
{
    std::string s = Stream(Rec(big(), 1, O().u32(5).u32(uint32_t(-1)).str()));
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &g = std::get<GlobalRecord>(p.records[0].record);
    EXPECT_EQ(g.rw_socket_fd, 5);
    EXPECT_EQ(g.second_fd, -1);
}

/* xenstored's struct xs_state_connection, ring, with pending data. */
TEST_P(RecordsTest, ConnectionXenRing)
{
    std::string body = O().u32(7).u16(0).u16(0)          /* conn-id, ring, fields */
                               .u16(5).u16(0x7ff4).u32(21)  /* domid, tdomid, evtchn */
                               .u16(3).u16(2).u32(4)        /* in-len, resp-len, out-len */
                               .raw("abc").raw("wxyz").str();
    std::string s = Stream(Rec(big(), 2, body));
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &c = std::get<ConnectionRecord>(p.records[0].record);
    EXPECT_EQ(c.conn_id, 7u);
    EXPECT_TRUE(c.is_ring());
    EXPECT_EQ(c.domid, 5);
    EXPECT_EQ(c.tdomid, 0x7ff4);
    EXPECT_EQ(c.evtchn, 21u);
    EXPECT_EQ(c.in_data, "abc");
    EXPECT_EQ(c.out_data, "wxyz");
    EXPECT_EQ(c.out_resp_len, 2);
    EXPECT_FALSE(c.has_unique_id());
    EXPECT_EQ(p.records[0].raw.len, 32u); /* 24 + 7 rounded up: xenstored counts padding */
}

/* Later xenstored: fields bit 0, unique-id at the next 8-octet boundary. */
TEST_P(RecordsTest, ConnectionXenUniqueId)
{
    std::string body = O().u32(1).u16(0).u16(1).u16(3).u16(0x7ff4).u32(9)
                               .u16(0).u16(0).u32(3).raw("out").zeros(5)
                               .u64(0x1122334455667788ULL).str();
    std::string s = Stream(Rec(big(), 2, body), 2);
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &c = std::get<ConnectionRecord>(p.records[0].record);
    EXPECT_TRUE(c.has_unique_id());
    EXPECT_EQ(c.unique_id, 0x1122334455667788ULL);
    EXPECT_EQ(c.out_data, "out");
}

TEST_P(RecordsTest, ConnectionXenSocket)
{
    std::string body = O().u32(2).u16(1).u16(0).u32(17).u32(0).u16(0).u16(0).u32(0).str();
    std::string s = Stream(Rec(big(), 2, body));
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &c = std::get<ConnectionRecord>(p.records[0].record);
    EXPECT_FALSE(c.is_ring());
    EXPECT_EQ(c.socket_fd, 17);
}

/* The v4 design: flags, domid, tdomid, evtchn, mfn, data-len, data. */
TEST_P(RecordsTest, ConnectionDraftRing)
{
    std::string body = O().u32(3).u16(0).u16(0).u16(9).u16(0x7ff4).u32(4)
                               .u64(0xabcdefULL).u32(2).raw("hi").str();
    std::string s = Stream(Rec(big(), 2, body));
    Parsed p = ParseAll(s, Layout::Draft);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &c = std::get<ConnectionRecord>(p.records[0].record);
    EXPECT_EQ(c.conn_id, 3u);
    EXPECT_EQ(c.domid, 9);
    EXPECT_EQ(c.evtchn, 4u);
    EXPECT_EQ(c.mfn, 0xabcdefULL);
    EXPECT_EQ(c.out_data, "hi");
}

TEST_P(RecordsTest, ConnectionDraftSocketReadOnly)
{
    std::string body = O().u32(4).u16(1).u16(1).u32(12).u32(0).u64(0).u32(0).str();
    std::string s = Stream(Rec(big(), 2, body));
    Parsed p = ParseAll(s, Layout::Draft);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &c = std::get<ConnectionRecord>(p.records[0].record);
    EXPECT_EQ(c.flags, 1);
    EXPECT_EQ(c.socket_fd, 12);
}

std::string RingConn(bool big, uint32_t conn_id, uint16_t domid)
{
    return Rec(big, 2, Octets(big).u32(conn_id).u16(0).u16(0).u16(domid).u16(0x7ff4)
                               .u32(1).u16(0).u16(0).u32(0).str());
}

TEST_P(RecordsTest, WatchData)
{
    std::string s = Stream(RingConn(big(), 1, 5) +
                           Rec(big(), 3, O().u32(1).u16(18).u16(4)
                                               .cstr("/local/domain/5/x").cstr("tok").str()));
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &w = std::get<WatchRecord>(p.records[1].record);
    EXPECT_EQ(w.conn_id, 1u);
    EXPECT_EQ(w.wpath, "/local/domain/5/x");
    EXPECT_EQ(w.token, "tok");
    EXPECT_FALSE(w.extended);
}

TEST_P(RecordsTest, WatchDataExtendedVersion2)
{
    std::string s = Stream(RingConn(big(), 1, 5) +
                                   Rec(big(), 8, O().u32(1).u16(2).u16(2).u16(3).u16(0)
                                                       .cstr("/").cstr("t").str()),
                           2);
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &w = std::get<WatchRecord>(p.records[1].record);
    EXPECT_TRUE(w.extended);
    EXPECT_EQ(w.depth, 3);
    EXPECT_EQ(w.wpath, "/");
    EXPECT_EQ(w.token, "t");
}

TEST_P(RecordsTest, TransactionAndPendingNode)
{
    std::string s = Stream(RingConn(big(), 1, 5) + Rec(big(), 4, O().u32(1).u32(42).str()) +
                           Rec(big(), 5, O().u32(1).u32(42).u16(19).u16(1).u16(2).u16(1)
                                               .perm('b', 0, 5).cstr("/local/domain/5/tx").raw("v")
                                               .str()));
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &t = std::get<TransactionRecord>(p.records[1].record);
    EXPECT_EQ(t.tx_id, 42u);
    auto &n = std::get<NodeRecord>(p.records[2].record);
    EXPECT_TRUE(n.pending());
    EXPECT_EQ(n.tx_id, 42u);
    EXPECT_EQ(n.access, kAccessWritten);
    EXPECT_EQ(n.value, "v");
}

TEST_P(RecordsTest, CommittedNodeWithPermissionsAndBinaryValue)
{
    std::string value("a\0b\xff", 4);
    std::string s = Stream(Rec(big(), 5, O().u32(0).u32(0).u16(16).u16(4).u16(0).u16(3)
                                               .perm('w', 0, 5).perm('r', 1, 0).perm('n', 0, 7)
                                               .cstr("/local/domain/5").raw(value).str()));
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &n = std::get<NodeRecord>(p.records[0].record);
    EXPECT_FALSE(n.pending());
    EXPECT_EQ(n.path, "/local/domain/5");
    EXPECT_EQ(n.value, value);
    ASSERT_EQ(n.perms.size(), 3);
    EXPECT_EQ(n.perms[0].perm, 'w');
    EXPECT_EQ(n.perms[0].domid, 5);
    EXPECT_EQ(n.perms[1].perm, 'r');
    EXPECT_EQ(n.perms[1].flags, 1);
    EXPECT_EQ(n.perms[2].domid, 7);
}

TEST_P(RecordsTest, GlobalQuotaData)
{
    std::string s = Stream(Rec(big(), 6, O().u16(2).u16(1).u32(1000).u32(128).u32(0)
                                               .cstr("nodes").cstr("watches").cstr("memory")
                                               .str()),
                           2);
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &q = std::get<GlobalQuotaRecord>(p.records[0].record);
    EXPECT_EQ(q.n_dom_quota, 2);
    EXPECT_EQ(q.n_glob_quota, 1);
    std::string seen;
    q.quotas.ForEach([&](Bytes name, uint32_t v) {
        seen += std::string(name) + "=" + std::to_string(v) + ";";
    });
    EXPECT_EQ(seen, "nodes=1000;watches=128;memory=0;");
}

TEST_P(RecordsTest, DomainData)
{
    std::string s = Stream(Rec(big(), 7, O().u16(5).u16(1).u32(1).u32(77).cstr("nodes").str()),
                           2);
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &d = std::get<DomainRecord>(p.records[0].record);
    EXPECT_EQ(d.domid, 5);
    EXPECT_EQ(d.features, 1u);
    ASSERT_EQ(d.quotas.size(), 1);
    EXPECT_EQ(d.quotas.value(0), 77u);
}

TEST_P(RecordsTest, DomainDataFeaturesAreIgnoredBeforeVersion2)
{
    /* Not valid in version 1: "should be ignored when the stream is read". */
    std::string body = O().u16(5).u16(0).u32(1).str();
    std::string v1 = Stream(Rec(big(), 7, body), 1);
    Parsed p = ParseAll(v1);
    ASSERT_TRUE(p.ok) << p.error.message();
    EXPECT_EQ(std::get<DomainRecord>(p.records[0].record).features, 0u);
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_EQ(p.warnings[0],
              "offset 28: record #0 (DOMAIN_DATA): DOMAIN_DATA features 1 in a version 1 "
              "stream, where the field is not valid: ignored");
    /* Version 2 keeps them. */
    std::string v2 = Stream(Rec(big(), 7, body), 2);
    p = ParseAll(v2);
    ASSERT_TRUE(p.ok) << p.error.message();
    EXPECT_EQ(std::get<DomainRecord>(p.records[0].record).features, 1u);
    EXPECT_TRUE(p.warnings.empty());
}

TEST_P(RecordsTest, UnknownTypeIsKeptAndReported)
{
    std::string s = Stream(Rec(big(), 0x1234, O().u32(99).str()));
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    auto &u = std::get<UnknownRecord>(p.records[0].record);
    EXPECT_EQ(u.type, 0x1234u);
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_NE(p.warnings[0].find("reserved range"), std::string::npos);
}

/* The spec text's len excludes padding; xenstored's includes it. */
TEST_P(RecordsTest, LenWithoutPaddingIsAccepted)
{
    std::string node = O().u32(0).u32(0).u16(2).u16(1).u16(0).u16(1)
                               .perm('r', 0, 0).cstr("/").raw("x").str();
    std::string s = Stream(Rec(big(), 5, node, Len::Exact));
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    EXPECT_EQ(p.records[0].raw.len, 23u);
    EXPECT_EQ(std::get<NodeRecord>(p.records[0].record).value, "x");
    /* The next record starts after the padding all the same. */
    EXPECT_EQ(p.records[1].raw.offset, 16u + 8 + 24);
}

INSTANTIATE_TEST_SUITE_P(ByteOrder, RecordsTest, ::testing::Values(false, true),
                         [](const auto &info) { return info.param ? "big" : "little"; });

} // namespace
