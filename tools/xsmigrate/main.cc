/*
 * xsmigrate: inspect, check and convert xenstore migration streams.
 *
 * Exit status: 0 success, 1 invalid stream, 2 usage error, 3 I/O error,
 * 4 stream valid but not convertible as asked.
 */
#include <getopt.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "input_file.h"
#include "stream/record_printer.h"
#include "stream/stream_ops.h"

namespace xsm {
namespace {

enum Exit { kOk = 0, kInvalid = 1, kUsage = 2, kIo = 3, kCannotConvert = 4 };

const char kUsageText[] =
        "usage: xsmigrate dump [--json] [--layout xen|draft] FILE|-\n"
        "       xsmigrate verify [--layout xen|draft] FILE|-\n"
        "       xsmigrate convert [--endian big|little] [--version 1|2]\n"
        "                         [--layout xen|draft] [--from-layout xen|draft]\n"
        "                         [--len padded|exact] IN OUT\n"
        "  IN, FILE: a stream file, or - for standard input; OUT: a file, or -.\n"
        "  --layout: CONNECTION_DATA layout (xen: as xenstored writes it, the\n"
        "  default; draft: the v4 design's).  For convert, --layout is the\n"
        "  output's and --from-layout the input's.\n";

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

int Report(const StreamError &err)
{
    std::fprintf(stderr, "%s\n", err.ToString().c_str());
    return err.io_error ? kIo : kInvalid;
}

void PrintWarning(const StreamError &w)
{
    std::fprintf(stderr, "warning: %s\n", w.ToString().c_str());
}

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
    StreamSummary sum;
    StreamError err;
    if (!VerifyStream(in.source(), ro, &sum, &err, PrintWarning))
        return Report(err);
    return kOk;
}

/* Writes OUT via a temporary file renamed into place: never half a stream. */
class OutputFile {
public:
    ~OutputFile()
    {
        if (fd_ >= 0 && path_ != "-")
            close(fd_);
        if (!tmp_.empty())
            unlink(tmp_.c_str());
    }
    bool Open(const std::string &path, std::string *why)
    {
        path_ = path;
        if (path == "-") {
            fd_ = 1;
            return true;
        }
        tmp_ = path + ".XXXXXX";
        fd_ = mkstemp(&tmp_[0]);
        if (fd_ < 0) {
            *why = "cannot create " + tmp_ + ": " + std::strerror(errno);
            tmp_.clear();
            return false;
        }
        return true;
    }
    bool Commit(std::string *why)
    {
        if (path_ == "-")
            return true;
        if (fsync(fd_) < 0 || close(fd_) < 0) {
            fd_ = -1;
            *why = "cannot write " + path_ + ": " + std::strerror(errno);
            return false;
        }
        fd_ = -1;
        if (rename(tmp_.c_str(), path_.c_str()) < 0) {
            *why = "cannot rename " + tmp_ + " to " + path_ + ": " + std::strerror(errno);
            return false;
        }
        tmp_.clear();
        return true;
    }
    int fd() const { return fd_; }

private:
    std::string path_, tmp_;
    int fd_ = -1;
};

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

} // namespace
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
    return xsm::Usage(("unknown command '" + cmd + "'").c_str());
}
