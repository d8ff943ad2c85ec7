/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The xsmigrate command as users and scripts see it: output shapes, exit
 * statuses, the one-line error of verify, and convert's files.
 */
#include <gtest/gtest.h>

#include <yajl/yajl_tree.h>

#include <algorithm>
#include <filesystem>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli_runner.h"
#include "spec_vectors.h"
#include "vector_builder.h"

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
    EXPECT_EQ(Str(Get(j.get(), {"layout"})), "xen");
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
    EXPECT_EQ(Int(Get(v[0], {"len"})), 40);
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
    EXPECT_EQ(Int(Get(v[3], {"out-data-len"})), 6);
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
    EXPECT_NE(r.out.find("WATCH_DATA len=40 conn-id=1 wpath-len=21 token-len=4 "
                         "wpath=\"/local/domain/5/data\" token=\"tok\""),
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
    EXPECT_EQ(r.err, "xsmigrate verify: offset " + std::to_string(s.size()) +
                             ": record #8: stream ends without an END record\n");

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
    EXPECT_EQ(r.err, "xsmigrate verify: warning: offset 70: record #1 (CONNECTION_DATA): "
                     "non-zero padding octet\n");
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
    EXPECT_EQ(r.err.rfind("xsmigrate verify: offset ", 0), 0u) << r.err;
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

/* Runs a shell command line; its exit status (128 + N for signal N). */
int Shell(const std::string &cmd)
{
    int st = std::system(cmd.c_str());
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

std::string CliPath() { return std::getenv("XSM_CLI"); }

TEST_F(Cli, DomidsAreDecimalAndSaveRefusesDom0AndReservedIds)
{
    /* Nothing listens there: a parsed domid would reach "xenstored" (5). */
    setenv("XENSTORED_PATH", (tmp / "no-socket").c_str(), 1);
    for (const char *bad : {"010", "0x10", " 12", "+1", "12 ", "-1", "", "0", "32752",
                            "65535", "99999999999"}) {
        CliResult r = RunCli({"save", "--domid", bad});
        EXPECT_EQ(r.status, 2) << "save --domid '" << bad << "': " << r.err;
        r = RunCli({"resume", "--domid", bad});
        EXPECT_EQ(r.status, 2) << "resume --domid '" << bad << "': " << r.err;
    }
    for (const char *good : {"1", "10", "32751"}) {
        CliResult r = RunCli({"save", "--domid", good, "-o", tmp / "s.xsm"});
        EXPECT_EQ(r.status, 5) << "save --domid " << good << ": " << r.err;
        EXPECT_NE(r.err.find("xsmigrate save: "), std::string::npos) << r.err;
    }
    unsetenv("XENSTORED_PATH");
}

TEST_F(Cli, RestorePortAndGfnAreDecimal)
{
    /* Nothing listens there: a parsed number would reach "xenstored" (5). */
    setenv("XENSTORED_PATH", (tmp / "no-socket").c_str(), 1);
    WriteFile(tmp / "s.xsm", FullStreamV1(false));
    for (const char *opt : {"--port", "--gfn"}) {
        for (const char *bad : {"010", "0x10", " 12", "+1", "12 ", "-1", "", "1e3",
                                "99999999999999999999999"}) {
            std::vector<std::string> args{"restore", "--domid", "5", "--port", "7"};
            args.push_back(opt);
            args.push_back(bad);
            args.push_back(tmp / "s.xsm");
            CliResult r = RunCli(args);
            EXPECT_EQ(r.status, 2) << opt << " '" << bad << "': " << r.err;
            EXPECT_NE(r.err.find(std::string(opt) + " \"" + bad + "\" is not a decimal number"),
                      std::string::npos)
                    << r.err;
        }
    }
    /* Beyond an event channel port's 32 bits, a gfn's 64 are fine. */
    CliResult r = RunCli({"restore", "--domid", "5", "--port", "4294967296", tmp / "s.xsm"});
    EXPECT_EQ(r.status, 2) << r.err;
    for (const char *good : {"0", "8", "10", "4294967295"}) {
        r = RunCli({"restore", "--domid", "5", "--port", good, "--gfn", "18446744073709551615",
                    tmp / "s.xsm"});
        EXPECT_EQ(r.status, 5) << "--port " << good << ": " << r.err;
    }
    unsetenv("XENSTORED_PATH");
}

TEST_F(Cli, EveryWriteErrorIsAnIoError)
{
    WriteFile(tmp / "ok.xsm", FullStreamV1(false));
    std::string cli = CliPath(), in = tmp / "ok.xsm";
    EXPECT_EQ(Shell(cli + " dump " + in + " > /dev/full 2>/dev/null"), 3);
    EXPECT_EQ(Shell(cli + " dump --json " + in + " > /dev/full 2>/dev/null"), 3);
    EXPECT_EQ(Shell(cli + " convert " + in + " - > /dev/full 2>/dev/null"), 3);
    EXPECT_EQ(Shell(cli + " convert " + in + " /dev/full 2>/dev/null"), 3);
    /* A closed pipe is an error too, not a silent death by SIGPIPE. */
    std::string big = tmp / "big.xsm";
    std::string s = Header(1, false);
    for (int i = 0; i < 20000; i++)
        s += Rec(false, 0x100, "");
    WriteFile(big, s + End(false));
    Shell("{ " + cli + " dump " + big + " 2>/dev/null; echo $? > " + tmp / "rc" +
          "; } | head -c 1 >/dev/null");
    EXPECT_EQ(ReadFile(tmp / "rc"), "3\n");
}

TEST_F(Cli, OutputToAnythingButARegularFileIsWrittenInPlace)
{
    std::string s = FullStreamV1(false);
    WriteFile(tmp / "in.xsm", s);
    /* A symlink stays a symlink; its target gets the stream. */
    ASSERT_EQ(symlink((tmp / "target.xsm").c_str(), (tmp / "link.xsm").c_str()), 0);
    CliResult r = RunCli({"convert", tmp / "in.xsm", tmp / "link.xsm"});
    EXPECT_EQ(r.status, 0) << r.err;
    struct stat st;
    ASSERT_EQ(lstat((tmp / "link.xsm").c_str(), &st), 0);
    EXPECT_TRUE(S_ISLNK(st.st_mode));
    EXPECT_EQ(ReadFile(tmp / "target.xsm"), s);
    /* A FIFO stays a FIFO; its reader gets the stream. */
    std::string fifo = tmp / "fifo";
    ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_EQ(Shell("cat " + fifo + " > " + tmp / "from-fifo" + " & " + CliPath() + " convert " +
                    tmp / "in.xsm" + " " + fifo + "; rc=$?; wait; exit $rc"),
              0);
    ASSERT_EQ(lstat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    EXPECT_EQ(ReadFile(tmp / "from-fifo"), s);
    /* A device: no PATH.XXXXXX next to it, and it is still the device.
     * Root makes its own node of the null device in the test's directory:
     * a CLI that replaced the device with a file would otherwise replace
     * the machine's /dev/null, under every other process. */
    std::string dev = "/dev/null";
    if (geteuid() == 0 && mknod((tmp / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0)
        dev = tmp / "null";
    r = RunCli({"convert", tmp / "in.xsm", dev});
    EXPECT_EQ(r.status, 0) << r.err;
    ASSERT_EQ(lstat(dev.c_str(), &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
    for (const auto &entry : std::filesystem::directory_iterator(tmp / "."))
        EXPECT_NE(entry.path().filename().string().rfind("null.", 0), 0u) << entry.path();
}

TEST_F(Cli, VerifyAndIdentityConvertAgreeOnVersion1Features)
{
    /* DOMAIN_DATA features=1 in a version-1 stream: a field version 1
     * does not have, ignored by both with the same warning. */
    std::string s = Header(1, false) + Rec(false, 7, Octets(false).u16(5).u16(0).u32(1).str()) +
                    End(false);
    WriteFile(tmp / "f.xsm", s);
    const std::string warning = "warning: offset 28: record #0 (DOMAIN_DATA): DOMAIN_DATA "
                                "features 1 in a version 1 stream, where the field is not "
                                "valid: ignored";
    CliResult v = RunCli({"verify", tmp / "f.xsm"});
    EXPECT_EQ(v.status, 0) << v.err;
    EXPECT_NE(v.err.find(warning), std::string::npos) << v.err;
    CliResult c = RunCli({"convert", tmp / "f.xsm", tmp / "out.xsm"});
    EXPECT_EQ(c.status, 0) << c.err;
    /* Written as the document asks: zero. */
    std::string want = Header(1, false) + Rec(false, 7, Octets(false).u16(5).u16(0).u32(0).str()) +
                       End(false);
    EXPECT_EQ(ReadFile(tmp / "out.xsm"), want);
    v = RunCli({"verify", tmp / "out.xsm"});
    EXPECT_EQ(v.status, 0) << v.err;
    EXPECT_EQ(v.err, "");
}

TEST_F(Cli, ConvertRefusesToSwapAnUnknownBody)
{
    /* A reserved record type with a body: its fields are unknown. */
    std::string s = Header(1, false) + Rec(false, 0x100, "abcdefgh") + End(false);
    WriteFile(tmp / "u.xsm", s);
    CliResult r = RunCli({"convert", "--endian", "big", tmp / "u.xsm", tmp / "be.xsm"});
    EXPECT_EQ(r.status, 4) << r.err;
    EXPECT_NE(r.err.find("xsmigrate convert: offset 16: record #0 (UNKNOWN 0x00000100): "),
              std::string::npos)
            << r.err;
    EXPECT_EQ(access((tmp / "be.xsm").c_str(), F_OK), -1);
    /* Same byte order: kept verbatim. */
    r = RunCli({"convert", tmp / "u.xsm", tmp / "le.xsm"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(ReadFile(tmp / "le.xsm"), s);
}

TEST_F(Cli, ATruncatedRecordIsNamedByItsOwnType)
{
    std::string node = Rec(false, 5 /* NODE_DATA */, std::string(16, 'x'));
    std::string s = Header(1, false) + node.substr(0, 6);
    WriteFile(tmp / "cut.xsm", s);
    CliResult r = RunCli({"verify", tmp / "cut.xsm"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "xsmigrate verify: offset 16: record #0 (NODE_DATA): stream ends inside "
                     "a record header\n");
}

TEST_F(Cli, VerifyPrintsTheFirstWarningsAndCountsTheRest)
{
    std::string s = Header(1, false);
    for (int i = 0; i < 1000; i++)
        s += Rec(false, 0x100, "");
    WriteFile(tmp / "w.xsm", s + End(false));
    CliResult r = RunCli({"verify", tmp / "w.xsm"});
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 21) << r.err;
    EXPECT_NE(r.err.find("xsmigrate verify: warning: 980 more warnings (1000 in all)\n"),
              std::string::npos)
            << r.err;
}

} // namespace
