/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * `xsmigrate dump` and `dump --json` show the same fields: for every
 * record type, in both CONNECTION_DATA layouts, each record's line holds
 * the same field names in the same order as its JSON object, with the
 * same values.  Both renderings walk stream/record_fields.h; this checks
 * the real output of the command, so that a rendering which leaves a kind
 * out, renames a field or prints another value fails here.
 */
#include <gtest/gtest.h>

#include <yajl/yajl_tree.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>

#include "cli_runner.h"
#include "spec_vectors.h"
#include "vector_builder.h"

using namespace xsm_test;

namespace {

/* One field as the text line shows it: its name and its value's text. */
struct TextField {
    std::string name, value;
};

/* Splits "#K @OFF TYPE len=N a=1 b=\"x y\" q={n=1,\"a b\"=2}" after TYPE
 * into its fields; quoted values and braces may hold spaces. */
bool SplitLine(const std::string &line, std::string *type, std::vector<TextField> *out)
{
    size_t pos = 0;
    for (int skip = 0; skip < 2; skip++) { /* #K, @OFFSET */
        pos = line.find(' ', pos);
        if (pos == std::string::npos)
            return false;
        pos++;
    }
    size_t end = line.find(' ', pos);
    if (end == std::string::npos)
        return false;
    *type = line.substr(pos, end - pos);
    pos = end;
    while (pos < line.size()) {
        if (line[pos] != ' ')
            return false;
        size_t eq = line.find('=', pos);
        if (eq == std::string::npos)
            return false;
        TextField f{line.substr(pos + 1, eq - pos - 1), ""};
        size_t i = eq + 1;
        bool quoted = false;
        int depth = 0;
        for (; i < line.size(); i++) {
            char c = line[i];
            if (quoted) {
                if (c == '\\')
                    i++;
                else if (c == '"')
                    quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ' ' && depth == 0) {
                break;
            }
        }
        if (quoted || depth)
            return false;
        f.value = line.substr(eq + 1, i - eq - 1);
        out->push_back(f);
        pos = i;
    }
    return true;
}

/* The octets of a text line's "..." value (C escapes undone). */
std::string Unquote(const std::string &v)
{
    std::string s;
    for (size_t i = 1; i + 1 < v.size(); i++) {
        if (v[i] != '\\') {
            s += v[i];
        } else if (v[i + 1] == 'x') {
            s += static_cast<char>(std::strtoul(v.substr(i + 2, 2).c_str(), nullptr, 16));
            i += 3;
        } else {
            s += v[++i];
        }
    }
    return s;
}

std::string Hex(const std::string &b)
{
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (unsigned char c : b) {
        s += digits[c >> 4];
        s += digits[c & 15];
    }
    return s;
}

std::string Unhex(const std::string &h)
{
    std::string s;
    for (size_t i = 0; i + 1 < h.size(); i += 2)
        s += static_cast<char>(std::strtoul(h.substr(i, 2).c_str(), nullptr, 16));
    return s;
}

/* A text quota list, {a=1,"b c"=2}, with each name in hex: {61=1,622063=2}. */
std::string QuotasOfText(const std::string &v)
{
    std::string out = "{";
    size_t i = 1;
    while (i < v.size() && v[i] != '}') {
        size_t eq;
        std::string name;
        if (v[i] == '"') {
            size_t e = i + 1;
            while (e < v.size() && v[e] != '"')
                e += v[e] == '\\' ? 2 : 1;
            name = Unquote(v.substr(i, e - i + 1));
            eq = e + 1;
        } else {
            eq = v.find('=', i);
            name = v.substr(i, eq - i);
        }
        size_t end = v.find_first_of(",}", eq);
        if (eq >= v.size() || v[eq] != '=' || end == std::string::npos)
            return "malformed " + v;
        out += Hex(name) + v.substr(eq, end - eq);
        if (v[end] == ',')
            out += ',';
        i = end + 1;
    }
    return out + "}";
}

using Json = std::unique_ptr<yajl_val_s, void (*)(yajl_val)>;

/*
 * Checks that one text field and one JSON member are the same field with
 * the same value; a non-UTF-8 string is "<name>-hex" in JSON, by design.
 */
void ExpectSameField(const std::string &where, const TextField &t, const std::string &key,
                     yajl_val v)
{
    bool hex_text = key == t.name + "-hex";
    ASSERT_TRUE(key == t.name || hex_text) << where << ": text has " << t.name << ", JSON " << key;
    if (YAJL_IS_INTEGER(v) || YAJL_IS_NUMBER(v)) {
        /* Text shows hex kinds as 0x..., JSON as plain numbers. */
        EXPECT_EQ(std::strtoull(t.value.c_str(), nullptr, 0),
                  std::strtoull(YAJL_GET_NUMBER(v), nullptr, 10))
                << where << ": " << t.name << "=" << t.value;
    } else if (YAJL_IS_STRING(v)) {
        std::string j = YAJL_GET_STRING(v);
        if (!t.value.empty() && t.value[0] == '"')
            EXPECT_EQ(hex_text ? Hex(Unquote(t.value)) : Unquote(t.value), j)
                    << where << ": " << t.name;
        else
            EXPECT_EQ(t.value, j) << where << ": " << t.name;
    } else if (YAJL_IS_ARRAY(v)) { /* perms: "n5,b5/0x1" */
        std::string j;
        for (size_t i = 0; i < v->u.array.len; i++) {
            yajl_val p = v->u.array.values[i];
            const char *perm[] = {"perm", nullptr}, *domid[] = {"domid", nullptr},
                       *flags[] = {"flags", nullptr};
            long long f = YAJL_GET_INTEGER(yajl_tree_get(p, flags, yajl_t_number));
            char hex[16];
            std::snprintf(hex, sizeof(hex), "/0x%llx", f);
            j += (i ? "," : "") + std::string(YAJL_GET_STRING(yajl_tree_get(p, perm, yajl_t_string))) +
                 std::to_string(YAJL_GET_INTEGER(yajl_tree_get(p, domid, yajl_t_number))) +
                 (f ? hex : "");
        }
        EXPECT_EQ(t.value, j) << where << ": " << t.name;
    } else if (YAJL_IS_OBJECT(v)) { /* quotas: {a=1,"b c"=2} and {"a":1,"b c":2} */
        std::string j;
        for (size_t i = 0; i < v->u.object.len; i++) {
            std::string name = v->u.object.keys[i];
            if (name.rfind("hex:", 0) == 0) /* not UTF-8 */
                name = Unhex(name.substr(4));
            j += (i ? "," : "") + Hex(name) + "=" +
                 std::to_string(YAJL_GET_INTEGER(v->u.object.values[i]));
        }
        EXPECT_EQ(QuotasOfText(t.value), "{" + j + "}") << where << ": " << t.name << "=" << t.value;
    } else {
        ADD_FAILURE() << where << ": " << key << " has an unexpected JSON type";
    }
}

/*
 * Dumps the stream both ways and compares them record by record; returns
 * the record types seen, so that a caller can check every type was.
 */
std::set<std::string> ExpectSameFields(const std::string &stream,
                                       const std::vector<std::string> &extra_args)
{
    TempDir tmp;
    WriteFile(tmp / "s.xsm", stream);
    std::vector<std::string> text_args{"dump"}, json_args{"dump", "--json"};
    text_args.insert(text_args.end(), extra_args.begin(), extra_args.end());
    json_args.insert(json_args.end(), extra_args.begin(), extra_args.end());
    text_args.push_back(tmp / "s.xsm");
    json_args.push_back(tmp / "s.xsm");
    CliResult text = RunCli(text_args), json = RunCli(json_args);
    std::set<std::string> types;
    EXPECT_EQ(text.status, 0) << text.err;
    EXPECT_EQ(json.status, 0) << json.err;
    char err[256] = {};
    Json doc(yajl_tree_parse(json.out.c_str(), err, sizeof(err)), yajl_tree_free);
    if (!doc) {
        ADD_FAILURE() << err << ": " << json.out;
        return types;
    }

    std::istringstream lines(text.out);
    std::string header;
    std::getline(lines, header);
    /* The header line's fields are the document's members before "records". */
    const char *layout_path[] = {"layout", nullptr};
    const char *version_path[] = {"version", nullptr};
    const char *endian_path[] = {"endianness", nullptr};
    EXPECT_EQ(header, "header version=" +
                              std::to_string(YAJL_GET_INTEGER(
                                      yajl_tree_get(doc.get(), version_path, yajl_t_number))) +
                              " endianness=" +
                              YAJL_GET_STRING(yajl_tree_get(doc.get(), endian_path, yajl_t_string)) +
                              " layout=" +
                              YAJL_GET_STRING(yajl_tree_get(doc.get(), layout_path, yajl_t_string)));

    const char *records_path[] = {"records", nullptr};
    yajl_val records = yajl_tree_get(doc.get(), records_path, yajl_t_array);
    if (!records) {
        ADD_FAILURE() << "no records: " << json.out;
        return types;
    }
    std::string line;
    size_t k = 0;
    for (; std::getline(lines, line); k++) {
        std::string where = "record #" + std::to_string(k);
        if (k >= records->u.array.len) {
            ADD_FAILURE() << where << " is in the text only: " << line;
            break;
        }
        yajl_val rec = records->u.array.values[k];
        std::string type;
        std::vector<TextField> fields;
        if (!SplitLine(line, &type, &fields)) {
            ADD_FAILURE() << where << ": cannot split " << line;
            continue;
        }
        types.insert(type);
        /* JSON: "type" and then the fields, text's "len" first among them. */
        if (!YAJL_IS_OBJECT(rec) || rec->u.object.len < 1) {
            ADD_FAILURE() << where << " is not a JSON object with a type";
            continue;
        }
        EXPECT_EQ(std::string(rec->u.object.keys[0]), "type") << where;
        EXPECT_EQ(YAJL_GET_STRING(rec->u.object.values[0]), type) << where;
        EXPECT_EQ(fields.size(), rec->u.object.len - 1) << where << ": " << line;
        for (size_t i = 0; i < fields.size() && i + 1 < rec->u.object.len; i++)
            ExpectSameField(where + " (" + type + ")", fields[i], rec->u.object.keys[i + 1],
                            rec->u.object.values[i + 1]);
    }
    EXPECT_EQ(k, records->u.array.len) << "records in the text and in the JSON";
    return types;
}

/*
 * What the spec's vectors leave out: a connection with input, a partial
 * response and a unique-id; quota names that are not plain or not UTF-8;
 * a non-UTF-8 token; a record type from the reserved range.
 */
std::string StreamOfOddFields()
{
    Octets conn, dom, watch;
    conn.u32(3).u16(0).u16(1).u16(7).u16(0x7ff4).u32(9).u16(2).u16(1).u32(3)
            .raw("ab").raw("xyz").zeros(3).u64(0x123456789abcdef0ULL);
    dom.u16(7).u16(3).u32(0).u32(10).u32(20).u32(30).cstr("a b").cstr("\xff").cstr("nodes");
    watch.u32(3).u16(3).u16(3).cstr("/x").cstr("\xfe\"");
    return Header(2, false) + Rec(false, 2, conn.str()) + Rec(false, 7, dom.str()) +
           Rec(false, 3, watch.str()) + Rec(false, 0x99, "\x01\x02", Len::Exact) + End(false);
}

class DumpFields : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (!std::getenv("XSM_CLI"))
            GTEST_FAIL() << "XSM_CLI must name the xsmigrate binary (make check sets it)";
    }
};

TEST_F(DumpFields, TextAndJsonAgreeOnEveryRecordType)
{
    std::set<std::string> types = ExpectSameFields(FullStreamV2(true), {});
    for (const std::string &t : ExpectSameFields(StreamOfOddFields(), {}))
        types.insert(t);
    std::set<std::string> every{"END", "GLOBAL_DATA", "CONNECTION_DATA", "WATCH_DATA",
                                "TRANSACTION_DATA", "NODE_DATA", "GLOBAL_QUOTA_DATA",
                                "DOMAIN_DATA", "WATCH_DATA_EXTENDED", "UNKNOWN"};
    EXPECT_EQ(types, every);
}

TEST_F(DumpFields, TextAndJsonAgreeInTheDraftLayout)
{
    std::set<std::string> types =
            ExpectSameFields(FullStreamV1(false, ConnLayout::Draft), {"--layout", "draft"});
    EXPECT_EQ(types.count("CONNECTION_DATA"), 1u);
    EXPECT_EQ(types.count("GLOBAL_DATA"), 1u);
}

/* The agreement above would hold for two renderings that both left a
 * field out: the fields the spec's tables name are all there. */
TEST_F(DumpFields, EveryFieldOfTheSpecIsShown)
{
    TempDir tmp;
    WriteFile(tmp / "s.xsm", StreamOfOddFields());
    CliResult r = RunCli({"dump", tmp / "s.xsm"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find(" CONNECTION_DATA len=40 conn-id=3 conn-type=ring fields=1 domid=7 "
                         "tdomid=32756 evtchn=9 in-data-len=2 out-resp-len=1 out-data-len=3 "
                         "in-data=6162 out-data=78797a unique-id=0x123456789abcdef0\n"),
              std::string::npos)
            << r.out;
    EXPECT_NE(r.out.find(" DOMAIN_DATA len=32 domid=7 n-quota=3 features=0 "
                         "quotas={\"a b\"=10,\"\\xff\"=20,nodes=30}\n"),
              std::string::npos)
            << r.out;
    EXPECT_NE(r.out.find(" WATCH_DATA len=16 conn-id=3 wpath-len=3 token-len=3 wpath=\"/x\" "
                         "token=\"\\xfe\\\"\"\n"),
              std::string::npos)
            << r.out;
    EXPECT_NE(r.out.find(" UNKNOWN len=2 type-code=0x00000099 body=0102\n"), std::string::npos)
            << r.out;
}

} // namespace
