/*
 * Feeds arbitrary octets to the reader in both layouts, through both the
 * in-memory and the streaming path, and re-encodes what it accepts: any
 * crash, out-of-bounds read or undefined behaviour is a bug.
 */
#include <cstdio>
#include <cstdlib>
#include <string>

#include "stream/record_printer.h"
#include "stream/stream_ops.h"

namespace {

/* Hands out the input in small, uneven pieces, like a pipe. */
class TrickleSource : public xsm::ByteSource {
public:
    explicit TrickleSource(xsm::Bytes d) : d_(d) {}
    ssize_t Read(uint8_t *buf, size_t n) override
    {
        size_t k = std::min({n, d_.size() - pos_, size_t{1} + pos_ % 13});
        std::memcpy(buf, d_.data() + pos_, k);
        pos_ += k;
        return static_cast<ssize_t>(k);
    }

private:
    xsm::Bytes d_;
    size_t pos_ = 0;
};

FILE *DevNull()
{
    static FILE *f = std::fopen("/dev/null", "w");
    return f;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    xsm::Bytes in(reinterpret_cast<const char *>(data), size);
    for (xsm::Layout layout : {xsm::Layout::Xen, xsm::Layout::Draft}) {
        xsm::ReaderOptions ro;
        ro.layout = layout;

        xsm::MemorySource mem(in);
        xsm::StreamParser parser(mem, ro);
        auto printer = xsm::MakeJsonPrinter(DevNull());
        xsm::StreamError err;
        if (parser.Start(&err)) {
            printer->Begin(parser.context());
            xsm::ParsedRecord rec;
            while (parser.Next(&rec, &err) == xsm::StreamParser::Status::kRecord)
                printer->Print(rec);
            printer->End();
        }

        TrickleSource trickle(in);
        ro.embedded = true;
        xsm::StreamSummary sum;
        bool ok_streamed = xsm::VerifyStream(trickle, ro, &sum, &err);

        /* What is valid must survive a round trip unchanged in meaning. */
        if (ok_streamed) {
            xsm::MemorySource again(in);
            xsm::StringSink out;
            xsm::ConvertOptions co;
            co.in.layout = layout;
            co.layout_out = layout;
            std::string why;
            if (xsm::ConvertStream(again, out, co, &err, &why) == xsm::ConvertStatus::kOk) {
                xsm::MemorySource back(out.str());
                xsm::ReaderOptions ro2;
                ro2.layout = layout;
                if (!xsm::VerifyStream(back, ro2, &sum, &err))
                    std::abort();
            }
        }
    }
    return 0;
}
