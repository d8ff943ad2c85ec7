/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Every validation rule has a stream that breaks it; each rejection must
 * name the byte offset, the record index and type, and the reason.
 */
#include <gtest/gtest.h>

#include "parse_helpers.h"
#include "vector_builder.h"

using namespace xsm;
using namespace xsm_test;

namespace {

const bool kLE = false;

Octets O() { return Octets(kLE); }

std::string RingConn(uint32_t conn_id, uint16_t domid = 5)
{
    return Rec(kLE, 2, O().u32(conn_id).u16(0).u16(0).u16(domid).u16(0x7ff4).u32(1)
                               .u16(0).u16(0).u32(0).str());
}

std::string Watch(uint32_t conn_id)
{
    return Rec(kLE, 3, O().u32(conn_id).u16(2).u16(2).cstr("/").cstr("t").str());
}

std::string Node(char perm = 'b', uint32_t conn = 0, uint32_t tx = 0)
{
    return Rec(kLE, 5, O().u32(conn).u32(tx).u16(2).u16(0).u16(0).u16(1)
                               .perm(perm, 0, 0).cstr("/").str());
}

/* The first error of a stream, as the CLI prints it. */
std::string ErrorOf(const std::string &stream, Layout layout = Layout::Xen)
{
    Parsed p = ParseAll(stream, layout);
    EXPECT_FALSE(p.ok) << "stream was accepted";
    return p.error.message();
}

const std::string kHead = Header(1, kLE);
const size_t kFirst = 16; /* offset of record #0 */

TEST(Validation, BadIdent)
{
    std::string s = Octets(true).raw("xenstorX").u32(1).u32(0).str() + End(kLE);
    EXPECT_EQ(ErrorOf(s), "offset 0: header: bad ident (expected \"xenstore\")");
}

TEST(Validation, UnknownVersion)
{
    EXPECT_EQ(ErrorOf(Header(3, kLE) + End(kLE)), "offset 8: header: unknown version 3");
    EXPECT_EQ(ErrorOf(Header(0, kLE) + End(kLE)), "offset 8: header: unknown version 0");
}

TEST(Validation, ReservedFlagBits)
{
    EXPECT_EQ(ErrorOf(Header(1, kLE, 0x80000000u) + End(kLE)),
              "offset 12: header: reserved bits set in flags (0x80000000)");
}

TEST(Validation, ShortHeader)
{
    EXPECT_EQ(ErrorOf("xensto"),
              "offset 0: header: stream has 6 octets, too short for the 16-octet header");
}

TEST(Validation, EndMissing)
{
    std::string s = kHead + Node();
    EXPECT_EQ(ErrorOf(s), "offset " + std::to_string(s.size()) +
                                  ": record #1: stream ends without an END record");
}

TEST(Validation, EndNotLast)
{
    std::string s = kHead + End(kLE) + Node();
    EXPECT_EQ(ErrorOf(s), "offset 24: record #1 (END): data after the END record");
}

TEST(Validation, RecordRunsPastTheEnd)
{
    std::string s = kHead + Node();
    s.resize(s.size() - 8);
    EXPECT_EQ(ErrorOf(s), "offset 20: record #0 (NODE_DATA): record runs past the end of the "
                          "stream: len 24 (32 octets with header and padding) but 24 remain");
}

TEST(Validation, TruncatedRecordHeader)
{
    std::string s = kHead + std::string("\x05\x00\x00", 3);
    EXPECT_EQ(ErrorOf(s), "offset 16: record #0: stream ends inside a record header");
}

TEST(Validation, LenTooLargeForLimit)
{
    std::string s = kHead + O().u32(5).u32(0xfffffff0u).str();
    EXPECT_EQ(ErrorOf(s), "offset 20: record #0 (NODE_DATA): len 4294967280 exceeds the limit "
                          "of 67108864");
}

TEST(Validation, FieldLengthBeyondLen)
{
    /* path-len says 200 but the record holds 2. */
    std::string s = kHead + Rec(kLE, 5, O().u32(0).u32(0).u16(200).u16(0).u16(0).u16(1)
                                              .perm('r', 0, 0).cstr("/").str()) + End(kLE);
    EXPECT_EQ(ErrorOf(s), "offset 44: record #0 (NODE_DATA): path at body octet 20 needs 200 "
                          "octets but len is 24");
}

TEST(Validation, LenBeyondContentAndPadding)
{
    std::string body = O().u32(1).u32(2).str();
    std::string s = kHead + RingConn(1) +
                    O().u32(4).u32(16).raw(body).zeros(8).str() + End(kLE);
    EXPECT_EQ(ErrorOf(s), "offset 64: record #1 (TRANSACTION_DATA): len 16 leaves 8 octets after "
                          "the content (at most 7 octets of padding)");
}

TEST(Validation, StringWithoutNul)
{
    std::string s = kHead + RingConn(1) +
                    Rec(kLE, 3, O().u32(1).u16(2).u16(3).cstr("/").raw("tok").str()) + End(kLE);
    /* Record #1 at 48, body at 56; token at body octets 10..12, its last must be NUL. */
    EXPECT_EQ(ErrorOf(s), "offset 68: record #1 (WATCH_DATA): token is not NUL-terminated");
}

TEST(Validation, StringWithNulInside)
{
    std::string s = kHead + Rec(kLE, 5, O().u32(0).u32(0).u16(4).u16(0).u16(0).u16(1)
                                              .perm('r', 0, 0).raw(std::string("/a\0", 3)).u8(0)
                                              .str()) + End(kLE);
    EXPECT_EQ(ErrorOf(s), "offset 46: record #0 (NODE_DATA): path has a NUL inside it at octet 2");
}

TEST(Validation, PermNotALetter)
{
    EXPECT_EQ(ErrorOf(kHead + Node('x') + End(kLE)),
              "offset 40: record #0 (NODE_DATA): perm #1 is 0x78, not one of w r b n");
}

TEST(Validation, CommittedNodeWithoutOwner)
{
    std::string s = kHead + Rec(kLE, 5, O().u32(0).u32(0).u16(2).u16(0).u16(0).u16(0)
                                              .cstr("/").str()) + End(kLE);
    EXPECT_EQ(ErrorOf(s), "offset 38: record #0 (NODE_DATA): committed node has no permissions "
                          "(perm1 names its owner)");
}

TEST(Validation, ConnIdZero)
{
    EXPECT_EQ(ErrorOf(kHead + RingConn(0) + End(kLE)),
              "offset 16: record #0 (CONNECTION_DATA): conn-id 0 is reserved (it marks committed "
              "nodes)");
}

TEST(Validation, ConnIdRepeated)
{
    EXPECT_EQ(ErrorOf(kHead + RingConn(4) + RingConn(4) + End(kLE)),
              "offset 48: record #1 (CONNECTION_DATA): conn-id 4 repeated");
}

TEST(Validation, ReservedConnType)
{
    std::string s = kHead + Rec(kLE, 2, O().u32(1).u16(7).u16(0).zeros(8).u16(0).u16(0).u32(0)
                                              .str()) + End(kLE);
    EXPECT_EQ(ErrorOf(s), "offset 28: record #0 (CONNECTION_DATA): conn-type 7 is reserved");
}

TEST(Validation, ReservedConnFields)
{
    std::string s = kHead + Rec(kLE, 2, O().u32(1).u16(0).u16(2).zeros(8).u16(0).u16(0).u32(0)
                                              .str()) + End(kLE);
    EXPECT_EQ(ErrorOf(s), "offset 30: record #0 (CONNECTION_DATA): reserved bits set in fields");
}

TEST(Validation, DraftRingFlagsMustBeZero)
{
    std::string s = kHead + Rec(kLE, 2, O().u32(1).u16(0).u16(1).u16(5).u16(0).u32(1).u64(~0ULL)
                                              .u32(0).str()) + End(kLE);
    EXPECT_EQ(ErrorOf(s, Layout::Draft),
              "offset 30: record #0 (CONNECTION_DATA): flags must be zero for a shared ring "
              "connection");
}

TEST(Validation, RespLenBeyondOutput)
{
    std::string s = kHead + Rec(kLE, 2, O().u32(1).u16(0).u16(0).u16(5).u16(0).u32(1)
                                              .u16(0).u16(9).u32(2).raw("ab").str()) + End(kLE);
    EXPECT_EQ(ErrorOf(s), "offset 42: record #0 (CONNECTION_DATA): out-resp-len 9 exceeds "
                          "out-data-len 2");
}

TEST(Validation, WatchNamesUnknownConnection)
{
    EXPECT_EQ(ErrorOf(kHead + RingConn(1) + Watch(2) + End(kLE)),
              "offset 48: record #1 (WATCH_DATA): conn-id 2 names no earlier CONNECTION_DATA");
}

TEST(Validation, TransactionNamesUnknownConnection)
{
    EXPECT_EQ(ErrorOf(kHead + Rec(kLE, 4, O().u32(3).u32(1).str()) + End(kLE)),
              "offset 16: record #0 (TRANSACTION_DATA): conn-id 3 names no earlier "
              "CONNECTION_DATA");
}

TEST(Validation, TransactionIdZeroOrRepeated)
{
    EXPECT_EQ(ErrorOf(kHead + RingConn(1) + Rec(kLE, 4, O().u32(1).u32(0).str()) + End(kLE)),
              "offset 48: record #1 (TRANSACTION_DATA): tx-id 0 is not a transaction");
    std::string tx = Rec(kLE, 4, O().u32(1).u32(9).str());
    EXPECT_EQ(ErrorOf(kHead + RingConn(1) + tx + tx + End(kLE)),
              "offset 64: record #2 (TRANSACTION_DATA): transaction 9 on conn-id 1 repeated");
}

TEST(Validation, PendingNodeNamesUnknownTransaction)
{
    std::string s = kHead + RingConn(1) + Rec(kLE, 4, O().u32(1).u32(9).str()) +
                    Node('r', 1, 10) + End(kLE);
    EXPECT_EQ(ErrorOf(s), "offset 64: record #2 (NODE_DATA): pending node names transaction 10 on "
                          "conn-id 1, which no earlier TRANSACTION_DATA opened");
}

TEST(Validation, ExtendedWatchNeedsVersion2)
{
    std::string s = kHead + RingConn(1) +
                    Rec(kLE, 8, O().u32(1).u16(2).u16(2).u16(1).u16(0).cstr("/").cstr("t").str()) +
                    End(kLE);
    EXPECT_EQ(ErrorOf(s), "offset 56: record #1 (WATCH_DATA_EXTENDED): WATCH_DATA_EXTENDED is "
                          "only valid in version 2 and later");
}

TEST(Validation, QuotaNamesMissing)
{
    std::string s = Header(2, kLE) + Rec(kLE, 7, O().u16(1).u16(2).u32(0).u32(1).u32(2)
                                                       .cstr("nodes").str()) + End(kLE);
    EXPECT_EQ(ErrorOf(s), "offset 46: record #0 (DOMAIN_DATA): quota-names: name 2 of 2 is empty");
}

TEST(Validation, DomainDataRepeated)
{
    std::string d = Rec(kLE, 7, O().u16(1).u16(0).u32(0).str());
    EXPECT_EQ(ErrorOf(Header(2, kLE) + d + d + End(kLE)),
              "offset 32: record #1 (DOMAIN_DATA): DOMAIN_DATA for domain 1 repeated");
}

TEST(Validation, NonZeroPaddingIsOnlyAWarning)
{
    std::string s = kHead + Node();
    s[s.size() - 1] = 'Z'; /* last padding octet of the node */
    s += End(kLE);
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_EQ(p.warnings[0], "offset 47: record #0 (NODE_DATA): non-zero padding octet");
}

TEST(Validation, UnknownRecordTypeNamesItsCode)
{
    Parsed p = ParseAll(kHead + Rec(kLE, 0x99, "") + End(kLE));
    ASSERT_TRUE(p.ok);
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_EQ(p.warnings[0],
              "offset 16: record #0 (UNKNOWN 0x00000099): record type from the reserved range, "
              "kept unread");
}

} // namespace
