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

namespace {
const char kUsageText[] =
        "usage: xsmigrate dump [--json] [--layout xen|draft] FILE|-\n"
        "       xsmigrate verify [--layout xen|draft] FILE|-\n"
        "       xsmigrate convert [--endian big|little] [--version 1|2]\n"
        "                         [--layout xen|draft] [--from-layout xen|draft]\n"
        "                         [--len padded|exact] IN OUT\n"
        "       xsmigrate save --domid N [-o FILE] [--node TEMPLATE]...\n"
        "       xsmigrate restore --domid N [--from-domid M] --port P [--gfn G]\n"
        "                         [--trust-domid D]... [--trusted-stream] [--node TEMPLATE]... [FILE]\n"
        "  IN, FILE: a stream file, or - for standard input; OUT: a file, or -.\n"
        "  --layout: CONNECTION_DATA layout (xen: as xenstored writes it, the\n"
        "  default; draft: the v4 design's).  For convert, --layout is the\n"
        "  output's and --from-layout the input's.\n"
        "  save and restore reach xenstored as libxenstore does (XENSTORED_PATH).\n";
} // namespace

int Usage(const char *why)
{
    if (why)
        std::fprintf(stderr, "xsmigrate: %s\n", why);
    std::fputs(kUsageText, stderr);
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

bool ParseUnsigned(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !*s || *s == '-')
        return false;
    char *end = nullptr;
    errno = 0;
    unsigned long long v = std::strtoull(s, &end, 0);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

bool ParseDomid(const char *s, unsigned int *out)
{
    unsigned long long v;
    if (!ParseUnsigned(s, kDomidFirstReserved - 1, &v))
        return false;
    *out = static_cast<unsigned int>(v);
    return true;
}

int Report(const StreamError &err)
{
    std::fprintf(stderr, "%s\n", err.ToString().c_str());
    return err.io_error ? kIo : kInvalid;
}

void PrintWarning(const StreamError &w)
{
    std::fprintf(stderr, "warning: %s\n", w.ToString().c_str());
}

} // namespace xsm

int main(int argc, char **argv)
{
    if (argc < 2)
        return xsm::Usage(nullptr);
    std::string cmd = argv[1];
    if (cmd == "-h" || cmd == "--help") {
        std::fputs(xsm::kUsageText, stdout);
        return 0;
    }
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
    return xsm::Usage(("unknown command '" + cmd + "'").c_str());
}
