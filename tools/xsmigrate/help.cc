/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * xsmigrate --version, help [CMD] and CMD --help: the synopsis of every
 * command in one table, so usage, help and the man page's SYNOPSIS
 * (docs/xsmigrate.1) have one source to follow.
 */
#include <cstdio>
#include <cstring>
#include <string>

#include "cli.h"

#ifndef XSM_PACKAGE_VERSION
#define XSM_PACKAGE_VERSION "unknown"
#endif

namespace xsm {

namespace {

struct CommandHelp {
    const char *name;
    const char *synopsis;  /* after "xsmigrate NAME " */
    const char *text;
};

const CommandHelp kCommands[] = {
    {"dump", "[--json] [--layout xen|draft] FILE|-",
     "Prints every field of every record of the stream, one line per record,\n"
     "or as one JSON document with --json.\n"},
    {"verify", "[--layout xen|draft] FILE|-",
     "Checks the whole stream; exit status 0 if it is valid, else one line\n"
     "naming offset, record and reason.  Warnings (non-zero padding,\n"
     "reserved record types) do not fail it.\n"},
    {"convert",
     "[--endian big|little] [--version 1|2] [--layout xen|draft]\n"
     "                         [--from-layout xen|draft] [--len padded|exact] IN OUT",
     "Re-encodes IN into OUT in another byte order, version or\n"
     "CONNECTION_DATA layout; OUT is replaced only when the whole stream\n"
     "converted.  A lossy conversion is refused (exit status 4).\n"},
    {"save", "--domid N [-o FILE] [--node TEMPLATE]... [--timeout SECONDS]",
     "Quiesces domain N in xenstored and writes its xenstore state\n"
     "(connection, watches, transactions, nodes, permissions) to FILE or\n"
     "standard output.  The domain stays quiesced; `xsmigrate resume` gives\n"
     "it back to xenstored if the migration is abandoned.  Needs the patched\n"
     "xenstored (libxl-patches/).\n"},
    {"restore",
     "--domid N [--from-domid M] --port P [--gfn G]\n"
     "                         [--trust-domid D]... [--trusted-stream]\n"
     "                         [--node TEMPLATE]... [--timeout SECONDS] [FILE]",
     "Checks a saved state (FILE or standard input) as coming from an\n"
     "untrusted sender, then restores it as domain N, whose store event\n"
     "channel is P and ring page G; paths and permissions are rewritten\n"
     "from domid M to N.  Only nodes the guest could have created itself\n"
     "are taken; --trusted-stream (hosts the administrator controls) takes\n"
     "dom0's and the backends' nodes too.  Nothing is applied if the check\n"
     "fails.  Needs the patched xenstored.\n"},
    {"resume", "--domid N [--timeout SECONDS]",
     "Lets xenstored serve domain N again after a save whose migration was\n"
     "abandoned (the guest stays on this host).\n"},
    {"help", "[COMMAND]", "Prints the usage, or one command's.\n"},
};

const char kOptionsText[] =
        "  IN, FILE: a stream file, or - for standard input; OUT: a file, or -.\n"
        "  --layout: CONNECTION_DATA layout (xen: as xenstored writes it, the\n"
        "  default; draft: the v4 design's).  For convert, --layout is the\n"
        "  output's and --from-layout the input's.\n"
        "  save, restore and resume reach xenstored as libxenstore does\n"
        "  (XENSTORED_PATH) and wait --timeout SECONDS for each of its replies\n"
        "  (default $XSM_XENSTORED_TIMEOUT, else 5).\n"
        "  xsmigrate COMMAND --help: one command's help; man xsmigrate: all.\n";

const CommandHelp *Find(const char *name)
{
    for (const CommandHelp &c : kCommands)
        if (!std::strcmp(c.name, name))
            return &c;
    return nullptr;
}

void PrintSynopsis(const CommandHelp &c, FILE *out, const char *lead)
{
    std::fprintf(out, "%sxsmigrate %s %s\n", lead, c.name, c.synopsis);
}

} // namespace

void PrintUsage(FILE *out)
{
    const char *lead = "usage: ";
    for (const CommandHelp &c : kCommands) {
        PrintSynopsis(c, out, lead);
        lead = "       ";
    }
    std::fputs("       xsmigrate --version\n", out);
    std::fputs(kOptionsText, out);
}

bool PrintCommandHelp(const char *cmd, FILE *out)
{
    const CommandHelp *c = Find(cmd);
    if (!c)
        return false;
    PrintSynopsis(*c, out, "usage: ");
    std::fprintf(out, "\n%s", c->text);
    return true;
}

bool AsksForHelp(int argc, char **argv)
{
    for (int i = 1; i < argc && std::strcmp(argv[i], "--"); i++)
        if (!std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h"))
            return true;
    return false;
}

int Help(int argc, char **argv)
{
    if (argc < 2) {
        PrintUsage(stdout);
        return kOk;
    }
    if (argc > 2)
        return Usage("help: one command expected");
    if (!PrintCommandHelp(argv[1], stdout))
        return Usage((std::string("help: ") + argv[1] + ": unknown command").c_str());
    return kOk;
}

int Version()
{
    std::printf("xsmigrate %s\n", XSM_PACKAGE_VERSION);
    std::printf("stream versions 1 and 2 (xenstore migration, as xenstored writes it)\n");
    return kOk;
}

} // namespace xsm
