/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Feeds arbitrary octets to the reader in both layouts, through both the
 * in-memory and the streaming path, and re-encodes what it accepts; then
 * to the engine's restore path (what a receiving host does with a stream
 * from an untrusted sender): read a domain's state, check it, rewrite it
 * for another domid, write it for xenstored.  Any crash, out-of-bounds
 * read or undefined behaviour is a bug.
 */
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/domain_state.h"
#include "engine/state_checker.h"
#include "record_printer.h"
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

/* The restore path up to the point where xenstored would take over. */
void FuzzRestore(xsm::Bytes in)
{
    static const xsm::NodePolicy policy = [] {
        xsm::NodePolicy p;
        std::string why;
        p.Parse(xsm::NodePolicy::DefaultTemplates(), &why);
        return p;
    }();
    xsm::MemorySource src(in);
    xsm::DomainState state;
    std::string why;
    if (!xsm::ReadDomainState(src, xsm::ReaderOptions{}, &state).ok())
        return;
    xsm::CheckOptions co;
    co.domid = state.conn.domid;
    bool accepted = xsm::CheckDomainState(state, policy, xsm::XenstoredLimits{}, co, &why);
    unsigned int to = (state.conn.domid + 1) % xsm::kDomidFirstReserved;
    xsm::RemapDomid(&state, policy, state.conn.domid, to);

    xsm::StringSink out;
    xsm::EncodeOptions eo;
    if (!xsm::WriteDomainState(state, out, eo, &why))
        return; /* e.g. an extended watch cannot be written as version 1 */
    xsm::MemorySource back(out.str());
    xsm::DomainState again;
    if (!xsm::ReadDomainState(back, xsm::ReaderOptions{}, &again).ok())
        std::abort(); /* we wrote something we cannot read */
    /* What was accepted for the old domid is the new domid's own. */
    co.domid = to;
    if (accepted && to != 0 && !xsm::CheckDomainState(again, policy, xsm::XenstoredLimits{}, co, &why))
        std::abort();
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
        xsm::Status st = parser.Start();
        if (st.ok()) {
            printer->Begin(parser.context());
            xsm::ParsedRecord rec;
            while (parser.Next(&rec, &st))
                printer->Print(rec);
            printer->End();
        }

        TrickleSource trickle(in);
        ro.embedded = true;
        xsm::StreamSummary sum;
        bool ok_streamed = xsm::VerifyStream(trickle, ro, &sum).ok();

        /* What is valid must survive a round trip unchanged in meaning. */
        if (ok_streamed) {
            xsm::MemorySource again(in);
            xsm::StringSink out;
            xsm::ConvertOptions co;
            co.in.layout = layout;
            co.layout_out = layout;
            if (xsm::ConvertStream(again, out, co).ok()) {
                xsm::MemorySource back(out.str());
                xsm::ReaderOptions ro2;
                ro2.layout = layout;
                if (!xsm::VerifyStream(back, ro2, &sum).ok())
                    std::abort();
            }
        }
    }
    FuzzRestore(in);
    return 0;
}
