/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A domain's state read into the owned model (ReadDomainState) and written
 * back (WriteDomainState) keeps every field of every record, as
 * stream/record_fields.h lists them.  The conversions copy field by field
 * by hand; a field added to a record and to its description but not to
 * the owned model is named here.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/domain_state.h"
#include "parse_helpers.h"
#include "stream/record_fields.h"
#include "vector_builder.h"

using namespace xsm;
using namespace xsm_test;

namespace {

std::string Show(field::Integer f) { return std::to_string(f.value); }
std::string Show(field::Hex f) { return std::to_string(f.value); }
std::string Show(field::Length f) { return std::to_string(f.value); }
std::string Show(field::Domid f) { return std::to_string(f.value); }
std::string Show(field::Word f) { return std::string(f.value); }
std::string Show(field::Text f) { return std::string(f.value); }
std::string Show(field::Octets f) { return std::string(f.value); }
std::string Show(field::Perms f)
{
    std::string s;
    for (size_t i = 0; i < f.value.size(); i++) {
        Perm p = f.value[i];
        s += p.perm + std::to_string(p.domid) + "/" + std::to_string(p.flags) + " ";
    }
    return s;
}
std::string Show(field::Quotas f)
{
    std::string s;
    size_t i = 0;
    f.list.ForEach([&](Bytes name, uint32_t value) {
        if (i >= f.from && i < f.to)
            s += std::string(name) + "=" + std::to_string(value) + " ";
        i++;
    });
    return s;
}

/* "TYPE name=value" for every field of every record, in stream order. */
std::vector<std::string> FieldsOf(const std::string &stream)
{
    Parsed p = ParseAll(stream);
    EXPECT_TRUE(p.ok) << p.error.ToString();
    std::vector<std::string> out;
    for (const ParsedRecord &rec : p.records) {
        std::string type(RecordTypeName(rec.raw.type));
        VisitFields(rec.record, p.ctx.layout, [&](std::string_view name, auto f) {
            out.push_back(type + " " + std::string(name) + "=" + Show(f));
        });
        out.push_back(type + " (end of record)");
    }
    return out;
}

/* One domain's state with no field left at its default. */
std::string SampleState()
{
    Octets conn, w, we, t, n1, n2, n3;
    conn.u32(1).u16(0).u16(1).u16(5).u16(3).u32(9).u16(2).u16(1).u32(3)
            .raw("ab").raw("xyz").zeros(3).u64(0x123456789abcdef0ULL);
    w.u32(1).u16(21).u16(4).cstr("/local/domain/5/data").cstr("tok");
    we.u32(1).u16(2).u16(3).u16(2).u16(0).cstr("/").cstr("ex");
    t.u32(1).u32(7);
    n1.u32(0).u32(0).u16(16).u16(0).u16(0).u16(2).perm('n', 0, 5).perm('r', 0, 0)
            .cstr("/local/domain/5");
    n2.u32(0).u32(0).u16(23).u16(5).u16(0).u16(2).perm('b', 0, 5).perm('w', 1, 0)
            .cstr("/local/domain/5/data/x").raw(std::string("1\0\xc3\xa9\xff", 5));
    n3.u32(1).u32(7).u16(23).u16(1).u16(3).u16(1).perm('n', 0, 5)
            .cstr("/local/domain/5/data/y").raw("2");
    return Header(2, false) + Rec(false, 2, conn.str()) + Rec(false, 3, w.str()) +
           Rec(false, 8, we.str()) + Rec(false, 4, t.str()) + Rec(false, 5, n1.str()) +
           Rec(false, 5, n2.str()) + Rec(false, 5, n3.str()) + End(false);
}

TEST(DomainStateFields, EveryFieldSurvivesTheOwnedModel)
{
    std::string in = SampleState();
    MemorySource src(in);
    DomainState s;
    std::string why;
    Status read = ReadDomainState(src, ReaderOptions{}, &s);
    ASSERT_TRUE(read.ok()) << read.ToString();
    StringSink sink;
    EncodeOptions eo;
    eo.ctx = s.ctx;
    ASSERT_TRUE(WriteDomainState(s, sink, eo, &why)) << why;

    std::vector<std::string> want = FieldsOf(in), got = FieldsOf(sink.str());
    /* The sample sets every field: a default left behind would pass unseen. */
    EXPECT_NE(std::find(want.begin(), want.end(), "CONNECTION_DATA unique-id=" +
                                                          std::to_string(0x123456789abcdef0ULL)),
              want.end());
    for (size_t i = 0; i < want.size() || i < got.size(); i++) {
        ASSERT_LT(i, got.size()) << "written state ends before " << want[i];
        ASSERT_LT(i, want.size()) << "written state has more: " << got[i];
        EXPECT_EQ(got[i], want[i]);
    }
}

} // namespace
