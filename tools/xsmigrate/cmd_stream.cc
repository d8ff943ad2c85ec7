/* SPDX-License-Identifier: LGPL-2.1-only */
/* xsmigrate dump, verify and convert: the stream as a file. */
#include <getopt.h>

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
    std::string why;
    if (!in.Open(argv[optind], &why)) {
        std::fprintf(stderr, "xsmigrate: %s\n", why.c_str());
        return kIo;
    }
    StreamParser parser(in.source(), ro);
    parser.OnWarning(PrintWarning);
    auto printer = json ? MakeJsonPrinter(stdout) : MakeTextPrinter(stdout);
    StreamError err;
    if (!parser.Start(&err))
        return Report(err);
    printer->Begin(parser.context());
    ParsedRecord rec;
    for (;;) {
        StreamParser::Status s = parser.Next(&rec, &err);
        if (s == StreamParser::Status::kRecord) {
            printer->Print(rec);
            continue;
        }
        printer->End();
        std::fflush(stdout);
        return s == StreamParser::Status::kDone ? kOk : Report(err);
    }
}

int Verify(int argc, char **argv)
{
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
    std::string why;
    if (!in.Open(argv[optind], &why)) {
        std::fprintf(stderr, "xsmigrate: %s\n", why.c_str());
        return kIo;
    }
    /* An invalid stream gets exactly one line: warnings only count for a valid one. */
    std::vector<StreamError> warnings;
    StreamSummary sum;
    StreamError err;
    if (!VerifyStream(in.source(), ro, &sum, &err,
                      [&](const StreamError &w) { warnings.push_back(w); }))
        return Report(err);
    for (const StreamError &w : warnings)
        PrintWarning(w);
    return kOk;
}

int Convert(int argc, char **argv)
{
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
    std::string why;
    if (!in.Open(argv[optind], &why) || !out.Open(argv[optind + 1], &why)) {
        std::fprintf(stderr, "xsmigrate: %s\n", why.c_str());
        return kIo;
    }
    FdSink sink(out.fd());
    StreamError err;
    switch (ConvertStream(in.source(), sink, co, &err, &why)) {
    case ConvertStatus::kOk:
        break;
    case ConvertStatus::kBadInput:
        return Report(err);
    case ConvertStatus::kCannotConvert:
        std::fprintf(stderr, "%s\n", why.c_str());
        return kCannotConvert;
    case ConvertStatus::kWriteError:
        std::fprintf(stderr, "xsmigrate: %s\n", why.c_str());
        return kIo;
    }
    if (!out.Commit(&why)) {
        std::fprintf(stderr, "xsmigrate: %s\n", why.c_str());
        return kIo;
    }
    return kOk;
}

} // namespace xsm
