/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The xsmigrate command as users and scripts see it: output shapes, exit
 * statuses, the one-line error of verify, and convert's files.
 */
#include <gtest/gtest.h>

#include <yajl/yajl_tree.h>

#include <algorithm>

#include "cli_runner.h"
#include "spec_vectors.h"

using namespace xsm_test;

namespace {

class Cli : public ::testing::Test {
protected:
    void SetUp() override
    {
        if (!std::getenv("XSM_CLI"))
            GTEST_FAIL() << "XSM_CLI must name the xsmigrate binary (make check sets it)";
    }
    TempDir tmp;
};

/* Parses JSON output; the tree is freed by the caller's unique_ptr. */
using Json = std::unique_ptr<yajl_val_s, void (*)(yajl_val)>;
Json ParseJson(const std::string &s)
{
    char err[256] = {};
    return Json(yajl_tree_parse(s.c_str(), err, sizeof(err)), yajl_tree_free);
}

yajl_val Get(yajl_val v, std::initializer_list<const char *> path)
{
    std::vector<const char *> p(path);
    p.push_back(nullptr);
    return yajl_tree_get(v, p.data(), yajl_t_any);
}

std::string Str(yajl_val v) { return v && YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : "<none>"; }
long long Int(yajl_val v) { return v && YAJL_IS_INTEGER(v) ? YAJL_GET_INTEGER(v) : -1; }

TEST_F(Cli, DumpJsonHasEveryRecordWithSpecFieldNames)
{
    WriteFile(tmp / "s.xsm", FullStreamV2(true));
    CliResult r = RunCli({"dump", "--json", tmp / "s.xsm"});
    ASSERT_EQ(r.status, 0) << r.err;
    Json j = ParseJson(r.out);
    ASSERT_TRUE(j) << r.out;
    EXPECT_EQ(Int(Get(j.get(), {"version"})), 2);
    EXPECT_EQ(Str(Get(j.get(), {"endianness"})), "big");
    yajl_val recs = Get(j.get(), {"records"});
    ASSERT_TRUE(recs && YAJL_IS_ARRAY(recs));
    std::vector<std::string> types;
    for (size_t i = 0; i < recs->u.array.len; i++)
        types.push_back(Str(Get(recs->u.array.values[i], {"type"})));
    std::vector<std::string> want{"GLOBAL_QUOTA_DATA", "DOMAIN_DATA", "GLOBAL_DATA",
                                  "CONNECTION_DATA", "CONNECTION_DATA", "WATCH_DATA",
                                  "TRANSACTION_DATA", "NODE_DATA", "NODE_DATA", "NODE_DATA",
                                  "WATCH_DATA_EXTENDED", "END"};
    EXPECT_EQ(types, want);

    yajl_val *v = recs->u.array.values;
    EXPECT_EQ(Int(Get(v[0], {"domain-quotas", "nodes"})), 2000);
    EXPECT_EQ(Int(Get(v[0], {"global-quotas", "transaction-memory"})), 0);
    EXPECT_EQ(Int(Get(v[1], {"quotas", "nodes"})), 500);
    EXPECT_EQ(Int(Get(v[1], {"features"})), 1);
    EXPECT_EQ(Int(Get(v[2], {"evtchn-fd"})), -1);
    EXPECT_EQ(Str(Get(v[3], {"conn-type"})), "ring");
    EXPECT_EQ(Int(Get(v[3], {"domid"})), 5);
    EXPECT_EQ(Int(Get(v[3], {"tdomid"})), 0x7ff4);
    EXPECT_EQ(Int(Get(v[3], {"evtchn"})), 15);
    EXPECT_EQ(Str(Get(v[3], {"out-data"})), "70656e640000");
    EXPECT_EQ(Str(Get(v[3], {"in-data"})), "");
    EXPECT_EQ(Str(Get(v[4], {"conn-type"})), "socket");
    EXPECT_EQ(Int(Get(v[4], {"socket-fd"})), 11);
    EXPECT_EQ(Str(Get(v[5], {"wpath"})), "/local/domain/5/data");
    EXPECT_EQ(Str(Get(v[5], {"token"})), "tok");
    EXPECT_EQ(Int(Get(v[6], {"tx-id"})), 7);
    yajl_val perms = Get(v[7], {"perms"});
    ASSERT_TRUE(perms && YAJL_IS_ARRAY(perms) && perms->u.array.len == 2);
    EXPECT_EQ(Str(Get(perms->u.array.values[0], {"perm"})), "n");
    EXPECT_EQ(Int(Get(perms->u.array.values[0], {"domid"})), 5);
    EXPECT_EQ(Int(Get(perms->u.array.values[0], {"flags"})), 0);
    /* "1\0\xc3\xa9\xff" is not UTF-8: it is given as value-hex. */
    EXPECT_EQ(Str(Get(v[8], {"value-hex"})), "3100c3a9ff");
    EXPECT_EQ(Get(v[8], {"value"}), nullptr);
    EXPECT_EQ(Int(Get(v[9], {"access"})), 3);
    EXPECT_EQ(Int(Get(v[10], {"depth"})), 2);
}

TEST_F(Cli, DumpJsonEscapesNulsInUtf8Text)
{
    Octets n(false);
    n.u32(0).u32(0).u16(2).u16(3).u16(0).u16(1).perm('r', 0, 0).cstr("/").raw(std::string("a\0b", 3));
    WriteFile(tmp / "s.xsm", Header(1, false) + Rec(false, 5, n.str()) + End(false));
    CliResult r = RunCli({"dump", "--json", tmp / "s.xsm"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("\"value\":\"a\\u0000b\""), std::string::npos) << r.out;
}

TEST_F(Cli, DumpDraftLayoutNamesItsFields)
{
    WriteFile(tmp / "d.xsm", FullStreamV1(false, ConnLayout::Draft));
    CliResult r = RunCli({"dump", "--json", "--layout", "draft", tmp / "d.xsm"});
    ASSERT_EQ(r.status, 0) << r.err;
    Json j = ParseJson(r.out);
    yajl_val conn = Get(j.get(), {"records"})->u.array.values[1];
    EXPECT_EQ(Int(Get(conn, {"flags"})), 0);
    EXPECT_EQ(Str(Get(Get(j.get(), {"records"})->u.array.values[1], {"data"})), "70656e640000");
    EXPECT_NE(r.out.find("\"mfn\":18446744073709551615"), std::string::npos);
    EXPECT_NE(r.out.find("\"ro-socket-fd\":-1"), std::string::npos);
}

TEST_F(Cli, DumpTextFromStdin)
{
    WriteFile(tmp / "s.xsm", FullStreamV1(false));
    CliResult r = RunCli({"dump", "-"}, tmp / "s.xsm");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("header version=1 endianness=little layout=xen"), std::string::npos);
    EXPECT_NE(r.out.find("WATCH_DATA len=40 conn-id=1 wpath=\"/local/domain/5/data\" token=\"tok\""),
              std::string::npos)
            << r.out;
    EXPECT_NE(r.out.find("perms=b5/0x1"), std::string::npos) << r.out;
}

TEST_F(Cli, VerifyValidAndInvalid)
{
    std::string s = FullStreamV1(false);
    WriteFile(tmp / "ok.xsm", s);
    CliResult r = RunCli({"verify", tmp / "ok.xsm"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");

    s.resize(s.size() - 8); /* drop END */
    WriteFile(tmp / "bad.xsm", s);
    r = RunCli({"verify", tmp / "bad.xsm"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "offset " + std::to_string(s.size()) +
                             ": record #8 (END): stream ends without an END record\n");

    /* The same through a pipe. */
    r = RunCli({"verify", "-"}, tmp / "bad.xsm");
    EXPECT_EQ(r.status, 1);
}

TEST_F(Cli, VerifyWarnsButAcceptsNonZeroPadding)
{
    std::string s = FullStreamV1(false);
    s[16 + 8 + 8 + 8 + 30] = 1; /* a padding octet of the ring connection */
    WriteFile(tmp / "p.xsm", s);
    CliResult r = RunCli({"verify", tmp / "p.xsm"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.err, "warning: offset 70: record #1 (CONNECTION_DATA): non-zero padding octet\n");
}

TEST_F(Cli, InvalidStreamGetsOneLineEvenWithWarnings)
{
    std::string s = FullStreamV1(false);
    s[16 + 8 + 8 + 8 + 30] = 1; /* non-zero padding: a warning */
    s.resize(s.size() - 8);     /* no END: an error */
    WriteFile(tmp / "pw.xsm", s);
    CliResult r = RunCli({"verify", tmp / "pw.xsm"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("offset ", 0), 0u) << r.err;
}

TEST_F(Cli, ConvertWritesTheTargetFormat)
{
    WriteFile(tmp / "le.xsm", FullStreamV2(false));
    CliResult r = RunCli({"convert", "--endian", "big", tmp / "le.xsm", tmp / "be.xsm"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(ReadFile(tmp / "be.xsm"), FullStreamV2(true));

    WriteFile(tmp / "v1.xsm", FullStreamV1(false));
    r = RunCli({"convert", "--layout", "draft", tmp / "v1.xsm", "-"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, FullStreamV1(false, ConnLayout::Draft));
}

TEST_F(Cli, ConvertLeavesNoHalfWrittenOutput)
{
    std::string s = FullStreamV1(false);
    s.resize(s.size() - 8);
    WriteFile(tmp / "bad.xsm", s);
    CliResult r = RunCli({"convert", tmp / "bad.xsm", tmp / "out.xsm"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(access((tmp / "out.xsm").c_str(), F_OK), -1);

    WriteFile(tmp / "v2.xsm", FullStreamV2(false));
    r = RunCli({"convert", "--version", "1", tmp / "v2.xsm", tmp / "out.xsm"});
    EXPECT_EQ(r.status, 4);
    EXPECT_NE(r.err.find("need version 2"), std::string::npos) << r.err;
    EXPECT_EQ(access((tmp / "out.xsm").c_str(), F_OK), -1);
}

TEST_F(Cli, UsageAndIoErrorsHaveTheirOwnStatus)
{
    EXPECT_EQ(RunCli({}).status, 2);
    EXPECT_EQ(RunCli({"frobnicate"}).status, 2);
    EXPECT_EQ(RunCli({"dump", "--layout", "weird", "x"}).status, 2);
    EXPECT_EQ(RunCli({"convert", "--endian", "middle", "a", "b"}).status, 2);
    EXPECT_EQ(RunCli({"verify"}).status, 2);
    CliResult r = RunCli({"verify", tmp / "missing.xsm"});
    EXPECT_EQ(r.status, 3);
    EXPECT_NE(r.err.find("cannot open"), std::string::npos);
    EXPECT_EQ(RunCli({"verify", "/"}).status, 3);
    EXPECT_EQ(RunCli({"--help"}).status, 0);
}

} // namespace
