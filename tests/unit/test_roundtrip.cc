/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Decoding then encoding is byte-exact, and conversions between byte
 * orders and layouts produce exactly the octets built by hand for the
 * target format.
 */
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>

#include "parse_helpers.h"
#include "spec_vectors.h"

using namespace xsm;
using namespace xsm_test;

namespace {

TEST(RoundTrip, EveryRecordTypeIsByteExact)
{
    for (bool big : {false, true}) {
        for (const std::string &s : {FullStreamV1(big), FullStreamV2(big)}) {
            Parsed p = ParseAll(s);
            ASSERT_TRUE(p.ok) << p.error.message();
            EXPECT_EQ(Convert(s, SameFormat()), s) << (big ? "big" : "little");
        }
        std::string draft = FullStreamV1(big, ConnLayout::Draft);
        ASSERT_TRUE(ParseAll(draft, Layout::Draft).ok);
        EXPECT_EQ(Convert(draft, SameFormat(Layout::Draft)), draft);
    }
}

TEST(RoundTrip, EveryRecordTypeIsPresent)
{
    std::string s = FullStreamV2(false);
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok);
    std::set<uint32_t> types;
    for (auto &r : p.records)
        types.insert(r.raw.type);
    EXPECT_EQ(types.size(), 9u); /* END .. WATCH_DATA_EXTENDED */
}

TEST(RoundTrip, ByteOrderConversionMatchesHandBuiltTarget)
{
    ConvertOptions co = SameFormat();
    co.endian = Endian::Big;
    EXPECT_EQ(Convert(FullStreamV2(false), co), FullStreamV2(true));
    co.endian = Endian::Little;
    EXPECT_EQ(Convert(FullStreamV2(true), co), FullStreamV2(false));
}

TEST(RoundTrip, LayoutConversionMatchesHandBuiltTarget)
{
    ConvertOptions co;
    co.in.layout = Layout::Xen;
    co.layout_out = Layout::Draft;
    EXPECT_EQ(Convert(FullStreamV1(false), co), FullStreamV1(false, ConnLayout::Draft));
    co.in.layout = Layout::Draft;
    co.layout_out = Layout::Xen;
    EXPECT_EQ(Convert(FullStreamV1(true, ConnLayout::Draft), co), FullStreamV1(true));
}

TEST(RoundTrip, ExactLenStyleIsKeptWhenAsked)
{
    /* A spec-style stream (len without padding) of one node. */
    Octets n(false);
    n.u32(0).u32(0).u16(2).u16(1).u16(0).u16(1).perm('r', 0, 0).cstr("/").raw("v");
    std::string exact = Header(1, false) + Rec(false, 5, n.str(), Len::Exact) + End(false);
    std::string padded = Header(1, false) + Rec(false, 5, n.str(), Len::Padded) + End(false);

    EXPECT_EQ(Convert(exact, SameFormat()), padded); /* written as xenstored writes */
    ConvertOptions co = SameFormat();
    co.len_includes_padding = false;
    EXPECT_EQ(Convert(padded, co), exact);
}

TEST(RoundTrip, LossyConversionsAreRefused)
{
    Status st;
    /* In-data has no place in the draft layout. */
    Octets c(false);
    c.u32(1).u16(0).u16(0).u16(5).u16(0).u32(1).u16(2).u16(0).u32(0).raw("in");
    std::string s = Header(1, false) + Rec(false, 2, c.str()) + End(false);
    ConvertOptions co;
    co.layout_out = Layout::Draft;
    EXPECT_EQ(Convert(s, co, &st), "");
    EXPECT_EQ(st.code(), StatusCode::kCannotConvert);
    EXPECT_EQ(st.message(), "offset 16: record #0 (CONNECTION_DATA): in-data cannot be written in the "
                   "draft layout");

    /* Extended watches need version 2. */
    co = SameFormat();
    co.version = 1;
    EXPECT_EQ(Convert(FullStreamV2(false), co, &st), "");
    EXPECT_EQ(st.code(), StatusCode::kCannotConvert);
    EXPECT_NE(st.message().find("need version 2"), std::string::npos) << st.message();
    /* DOMAIN_DATA features come first in that stream; without them the watch stops it. */
    std::string v2 = FullStreamV2(false);
    v2[16 + 48 + 8 + 4] = 0; /* DOMAIN_DATA features := 0 */
    EXPECT_EQ(Convert(v2, co, &st), "");
    EXPECT_NE(st.message().find("WATCH_DATA_EXTENDED needs version 2"), std::string::npos) << st.message();
}

TEST(RoundTrip, InvalidInputIsReportedNotConverted)
{
    std::string s = FullStreamV1(false);
    size_t at = s.find(std::string("/local/domain/5\0", 16));
    ASSERT_NE(at, std::string::npos);
    s[at - 8] = 'q'; /* first perm letter of the first node */
    Status st;
    EXPECT_EQ(Convert(s, SameFormat(), &st), "");
    EXPECT_EQ(st.code(), StatusCode::kBadStream);
    EXPECT_NE(st.message().find("perm #1 is 0x71"), std::string::npos) << st.message();
}

} // namespace

namespace {

/* The checked-in vectors (fuzz seeds, README examples) are the hand-built ones. */
TEST(Vectors, CheckedInFilesMatchTheSpecTables)
{
    auto file = [](const char *name) {
        std::ifstream f(std::string(XSM_SOURCE_DIR) + "/tests/vectors/" + name, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(f), {});
    };
    EXPECT_EQ(file("v1-le-xen.xsm"), FullStreamV1(false));
    EXPECT_EQ(file("v1-be-xen.xsm"), FullStreamV1(true));
    EXPECT_EQ(file("v1-le-draft.xsm"), FullStreamV1(false, ConnLayout::Draft));
    EXPECT_EQ(file("v2-le.xsm"), FullStreamV2(false));
    EXPECT_EQ(file("v2-be.xsm"), FullStreamV2(true));
    EXPECT_EQ(file("empty.xsm"), Header(1, false) + End(false));
}

} // namespace

namespace {

/*
 * A stream written by Debian's unmodified xenstored 4.17 for its own live
 * update (tests/xensim, see docs/format-findings.md): guest 3 with a node,
 * its permissions, a watch and an open transaction; the xenstore-control
 * connection with its pending "OK".
 */
TEST(RealStream, Xenstored417LiveUpdateImage)
{
    std::ifstream f(std::string(XSM_SOURCE_DIR) + "/tests/vectors/xenstored-4.17-liveupdate.xsm",
                    std::ios::binary);
    std::string s(std::istreambuf_iterator<char>(f), {});
    ASSERT_FALSE(s.empty());
    Parsed p = ParseAll(s);
    ASSERT_TRUE(p.ok) << p.error.message();
    EXPECT_TRUE(p.warnings.empty());
    EXPECT_EQ(Convert(s, SameFormat()), s); /* byte for byte */

    bool ring3 = false, watch = false, release = false, node = false, tx = false;
    for (const ParsedRecord &r : p.records) {
        /* Finding 1: xenstored's len counts the padding. */
        EXPECT_EQ(r.raw.len % 8, 0u) << "record #" << r.raw.index;
        if (auto *c = std::get_if<ConnectionRecord>(&r.record))
            ring3 |= c->is_ring() && c->domid == 3 && c->tdomid == kDomidInvalid;
        if (auto *w = std::get_if<WatchRecord>(&r.record))
            watch |= w->wpath == "/local/domain/3/foo" && w->token == "tk";
        if (auto *n = std::get_if<NodeRecord>(&r.record)) {
            /* Finding 5: special nodes are not absolute paths. */
            release |= n->path == "@releaseDomain";
            if (n->path == "/local/domain/3/foo") {
                node = n->value == "bar" && n->perms.size() == 2 && n->perms[0].perm == 'n' &&
                       n->perms[0].domid == 3 && n->perms[1].perm == 'r';
            }
        }
        /* Finding 4: the open transaction is not in the image. */
        tx |= std::holds_alternative<TransactionRecord>(r.record);
    }
    EXPECT_TRUE(ring3);
    EXPECT_TRUE(watch);
    EXPECT_TRUE(release);
    EXPECT_TRUE(node);
    EXPECT_FALSE(tx);
}

} // namespace
