/* SPDX-License-Identifier: LGPL-2.1-only */
/* xsmigrate dump, verify and convert: the stream as a file. */
#include <getopt.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "cli.h"
#include "input_file.h"
#include "output_file.h"
#include "record_printer.h"
#include "stream/stream_ops.h"

namespace xsm {

int Dump(int argc, char **argv)
{
    static const char kCmd[] = "dump";
    static const option opts[] = {{"json", no_argument, nullptr, 'j'},
                                  {"layout", required_argument, nullptr, 'l'},
                                  {nullptr, 0, nullptr, 0}};
    bool json = false;
    ReaderOptions ro;
    int c;
    while ((c = getopt_long(argc, argv, "+", opts, nullptr)) != -1) {
        if (c == 'j')
            json = true;
        else if (c == 'l' && ParseLayout(optarg, &ro.layout))
            continue;
        else
            return Usage("dump: bad option");
    }
    if (argc - optind != 1)
        return Usage("dump: one input expected");

    InputFile in;
    if (Status opened = in.Open(argv[optind]); !opened.ok())
        return Fail(kCmd, opened);
    StreamParser parser(in.source(), ro);
    parser.OnWarning([](const std::string &w) { PrintWarning(kCmd, w); });
    auto printer = json ? MakeJsonPrinter(stdout) : MakeTextPrinter(stdout);
    Status st = parser.Start();
    if (st.ok()) {
        printer->Begin(parser.context());
        ParsedRecord rec;
        while (parser.Next(&rec, &st))
            printer->Print(rec);
        printer->End();
    }
    /* What was printed must have been written, whatever the stream was. */
    if (std::fflush(stdout) != 0 || std::ferror(stdout))
        return Fail(kCmd, Status::Io(errno, std::string("standard output: cannot write: ") +
                                                    (errno ? std::strerror(errno) : "write error")));
    return st.ok() ? kOk : Fail(kCmd, st);
}

/* Warnings printed by verify; the rest are only counted (bounded memory). */
constexpr uint64_t kVerifyWarningsShown = 20;

int Verify(int argc, char **argv)
{
    static const char kCmd[] = "verify";
    static const option opts[] = {{"layout", required_argument, nullptr, 'l'},
                                  {nullptr, 0, nullptr, 0}};
    ReaderOptions ro;
    int c;
    while ((c = getopt_long(argc, argv, "+", opts, nullptr)) != -1) {
        if (c != 'l' || !ParseLayout(optarg, &ro.layout))
            return Usage("verify: bad option");
    }
    if (argc - optind != 1)
        return Usage("verify: one input expected");

    InputFile in;
    if (Status opened = in.Open(argv[optind]); !opened.ok())
        return Fail(kCmd, opened);
    /* An invalid stream gets exactly one line: warnings only count for a valid one. */
    std::vector<std::string> warnings;
    StreamSummary sum;
    Status st = VerifyStream(in.source(), ro, &sum, [&](const std::string &w) {
        if (warnings.size() < kVerifyWarningsShown)
            warnings.push_back(w);
    });
    if (!st.ok())
        return Fail(kCmd, st);
    for (const std::string &w : warnings)
        PrintWarning(kCmd, w);
    if (sum.warnings > warnings.size())
        PrintWarning(kCmd, std::to_string(sum.warnings - warnings.size()) +
                                   " more warnings (" + std::to_string(sum.warnings) + " in all)");
    return kOk;
}

int Convert(int argc, char **argv)
{
    static const char kCmd[] = "convert";
    static const option opts[] = {{"endian", required_argument, nullptr, 'e'},
                                  {"version", required_argument, nullptr, 'v'},
                                  {"layout", required_argument, nullptr, 'l'},
                                  {"from-layout", required_argument, nullptr, 'f'},
                                  {"len", required_argument, nullptr, 'p'},
                                  {nullptr, 0, nullptr, 0}};
    ConvertOptions co;
    int c;
    while ((c = getopt_long(argc, argv, "+", opts, nullptr)) != -1) {
        std::string a = optarg ? optarg : "";
        if (c == 'e' && (a == "big" || a == "little"))
            co.endian = a == "big" ? Endian::Big : Endian::Little;
        else if (c == 'v' && (a == "1" || a == "2"))
            co.version = static_cast<uint32_t>(std::stoul(a));
        else if (c == 'l' && ParseLayout(optarg, &co.layout_out))
            continue;
        else if (c == 'f' && ParseLayout(optarg, &co.in.layout))
            continue;
        else if (c == 'p' && (a == "padded" || a == "exact"))
            co.len_includes_padding = a == "padded";
        else
            return Usage("convert: bad option");
    }
    if (argc - optind != 2)
        return Usage("convert: IN and OUT expected");

    InputFile in;
    OutputFile out;
    if (Status opened = in.Open(argv[optind]); !opened.ok())
        return Fail(kCmd, opened);
    if (Status opened = out.Open(argv[optind + 1]); !opened.ok())
        return Fail(kCmd, opened);
    FdSink sink(out.fd());
    co.sink_name = argv[optind + 1];
    Status st = ConvertStream(in.source(), sink, co);
    if (!st.ok())
        return Fail(kCmd, st);
    if (Status committed = out.Commit(); !committed.ok())
        return Fail(kCmd, committed);
    return kOk;
}

} // namespace xsm
