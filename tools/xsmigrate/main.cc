/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xsmigrate: inspect, check and convert xenstore migration streams, and
 * save and restore one domain's xenstore state.
 *
 * Exit status: see enum Exit in cli.h and docs/xsmigrate.1.
 */
#include <cstdlib>
#include <cstring>
#include <string>

#include "cli.h"

namespace xsm {

int Usage(const char *why)
{
    if (why)
        std::fprintf(stderr, "xsmigrate %s\n", why);
    PrintUsage(stderr);
    return kUsage;
}

bool ParseLayout(const char *s, Layout *out)
{
    if (!std::strcmp(s, "xen"))
        *out = Layout::Xen;
    else if (!std::strcmp(s, "draft"))
        *out = Layout::Draft;
    else
        return false;
    return true;
}

bool ParseDecimal(const char *s, unsigned long long max, unsigned long long *out)
{
    /* Decimal only: strtoull's base 0 would read "010" as 8 and take
     * " 12", "+1" and "0x10" too. */
    size_t n = s ? std::strlen(s) : 0;
    if (n == 0 || std::strspn(s, "0123456789") != n || (s[0] == '0' && n > 1))
        return false;
    char *end = nullptr;
    errno = 0;
    unsigned long long v = std::strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

int Fail(const char *cmd, int status, const std::string &msg)
{
    std::fprintf(stderr, "xsmigrate %s: %s\n", cmd, msg.c_str());
    return status;
}

int Fail(const char *cmd, const Status &s)
{
    return Fail(cmd, ExitStatusOf(s.code()), s.message());
}

void PrintWarning(const char *cmd, const std::string &what)
{
    std::fprintf(stderr, "xsmigrate %s: warning: %s\n", cmd, what.c_str());
}

} // namespace xsm

int main(int argc, char **argv)
{
    xsm::PrepareProcess();
    if (argc < 2)
        return xsm::Usage(nullptr);
    std::string cmd = argv[1];
    if (cmd == "-h" || cmd == "--help") {
        xsm::PrintUsage(stdout);
        return 0;
    }
    if (cmd == "--version" || cmd == "version")
        return xsm::Version();
    if (cmd == "help")
        return xsm::Help(argc - 1, argv + 1);
    /* xsmigrate CMD --help, for every command. */
    if (xsm::AsksForHelp(argc - 1, argv + 1) && xsm::PrintCommandHelp(cmd.c_str(), stdout))
        return 0;
    /* getopt_long sees "xsmigrate CMD ..." as the command's own argv. */
    argc--;
    argv++;
    if (cmd == "dump")
        return xsm::Dump(argc, argv);
    if (cmd == "verify")
        return xsm::Verify(argc, argv);
    if (cmd == "convert")
        return xsm::Convert(argc, argv);
    if (cmd == "save")
        return xsm::Save(argc, argv);
    if (cmd == "restore")
        return xsm::Restore(argc, argv);
    if (cmd == "resume")
        return xsm::Resume(argc, argv);
    return xsm::Usage((cmd + ": unknown command").c_str());
}
