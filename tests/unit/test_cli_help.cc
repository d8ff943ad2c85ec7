/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xsmigrate --version, help [CMD], CMD --help, and the man page: what a
 * Xen admin reaches for first, and the man page listing every command,
 * option and environment variable the command knows.
 */
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "cli_runner.h"

namespace {

using xsm_test::ReadFile;
using xsm_test::RunCli;

const char *const kCommands[] = {"dump", "verify", "convert", "save", "restore", "resume"};

TEST(CliHelp, VersionNamesThePackageVersion)
{
    auto r = RunCli({"--version"});
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(r.out.rfind("xsmigrate " XSM_PACKAGE_VERSION "\n", 0), 0u) << r.out;
    EXPECT_EQ(r.err, "");
}

TEST(CliHelp, HelpAndDashDashHelpForEveryCommand)
{
    for (const char *cmd : kCommands) {
        auto h = RunCli({"help", cmd});
        EXPECT_EQ(h.status, 0) << cmd << ": " << h.err;
        EXPECT_EQ(h.out.rfind(std::string("usage: xsmigrate ") + cmd + " ", 0), 0u) << h.out;
        auto d = RunCli({cmd, "--help"});
        EXPECT_EQ(d.status, 0) << cmd;
        EXPECT_EQ(d.out, h.out) << cmd;
        auto all = RunCli({"help"});
        EXPECT_NE(all.out.find(std::string("xsmigrate ") + cmd + " "), std::string::npos) << cmd;
    }
}

TEST(CliHelp, UnknownCommandIsAUsageError)
{
    auto r = RunCli({"help", "frobnicate"});
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
    EXPECT_EQ(RunCli({"frobnicate", "--help"}).status, 2);
}

/* The man pages' headers name the version being built. */
TEST(CliHelp, ManPagesNameThisVersion)
{
    for (const char *page : {"/docs/xsmigrate.1", "/docs/xenstored-domain-state.7"}) {
        std::string man = ReadFile(std::string(XSM_SOURCE_DIR) + page);
        std::string th = man.substr(man.find(".TH "));
        th = th.substr(0, th.find('\n'));
        EXPECT_NE(th.find("\"xsmigrate " XSM_PACKAGE_VERSION "\""), std::string::npos)
                << page << ": " << th << " (configure.ac says " XSM_PACKAGE_VERSION ")";
    }
}

/* Every long option in the usage and every getenv() is in the man page. */
TEST(CliHelp, ManPageListsEveryOptionAndVariable)
{
    std::string man = ReadFile(XSM_SOURCE_DIR "/docs/xsmigrate.1");
    ASSERT_FALSE(man.empty());
    auto r = RunCli({"help"});
    std::set<std::string> opts;
    std::regex opt("--[a-z][a-z-]*");
    for (std::sregex_iterator i(r.out.begin(), r.out.end(), opt), end; i != end; ++i)
        opts.insert(i->str());
    ASSERT_GT(opts.size(), 10u) << r.out;
    for (const std::string &o : opts) {
        std::string escaped = std::regex_replace(o, std::regex("-"), "\\-");
        EXPECT_NE(man.find(escaped), std::string::npos) << o << " is not in docs/xsmigrate.1";
    }
    for (const char *cmd : kCommands)
        EXPECT_NE(man.find(std::string(".B ") + cmd + "\n"), std::string::npos) << cmd;
    std::string grep = std::string("grep -rhoE 'getenv\\(\"[A-Z_]+\"' ") + XSM_SOURCE_DIR +
                       "/lib " + XSM_SOURCE_DIR + "/tools";
    FILE *p = popen(grep.c_str(), "r");
    ASSERT_NE(p, nullptr);
    char line[256];
    int vars = 0;
    while (fgets(line, sizeof(line), p)) {
        std::string v = std::regex_replace(line, std::regex("getenv\\(\"([A-Z_]+)\"\\s*"), "$1");
        EXPECT_NE(man.find(".B " + v + "\n"), std::string::npos)
                << v << " (read by the code) is not in docs/xsmigrate.1's ENVIRONMENT";
        vars++;
    }
    pclose(p);
    EXPECT_GE(vars, 2);
}

} // namespace
