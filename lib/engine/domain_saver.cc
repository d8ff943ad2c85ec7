/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of engine/domain_saver.h, which says what it is. */
#include "engine/domain_saver.h"

#include <cerrno>
#include <cstring>

#include "engine/domain_state.h"
#include "engine/xs_syntax.h"
#include "stream/format.h"
#include "xen/domid.h"

namespace xsm {

Status DomainSaver::Save(unsigned int domid, ByteSink &out, QuiesceTicket *ticket)
{
    *ticket = QuiesceTicket();
    const std::string id = std::to_string(domid);
    if (Status guest = CheckGuestDomid(domid, "save"); !guest.ok())
        return guest;
    Status st = store_.Quiesce(domid);
    if (!st.ok()) {
        /* Not our quiesce (or not known to be): nothing to undo. */
        if (st.sys_errno() == EBUSY && st.Is(StatusCode::kXenstoredRefused))
            st.Prefix("domain " + id + " is quiesced already (another save holds it)");
        return st;
    }
    QuiesceTicket held(store_, domid);
    st = SaveQuiesced(domid, out);
    if (st.ok()) {
        *ticket = std::move(held);
        return st;
    }
    if (st.Is(StatusCode::kXenstoredLost)) {
        held.LeaveToXenstored();
        if (st.sys_errno() == ETIMEDOUT)
            st.Append("xenstored resumes domain " + id + " when it reads the closed connection");
        return st;
    }
    /* The first error is the one to report. */
    const Status resumed = held.Resume();
    if (!resumed.ok())
        st.Append("and domain " + id + " could not be resumed: " + resumed.message());
    return st;
}

Status DomainSaver::SaveQuiesced(unsigned int domid, ByteSink &out)
{
    report_ = SaveReport();
    NodePolicy::Lister list = [this](const std::string &p, std::vector<std::string> *c) {
        return store_.Directory(p, c);
    };
    NodePolicy::Reader read = [this](const std::string &p, std::string *v) {
        return store_.Read(p, v);
    };
    if (Status st = policy_.Roots(domid, list, read, &report_.roots, &report_.warnings);
        !st.ok())
        return st;

    /* One message, however many devices: say why rather than the transport's "too large". */
    const size_t octets = SaveDomainRequestOctets(domid, report_.roots);
    if (octets > kXsPayloadMax)
        return Status::TooBig("domain " + std::to_string(domid) + "'s node set has " +
                              std::to_string(report_.roots.size()) +
                              " subtrees (its home and its devices' backend directories, or "
                              "what --node templates match): save-domain would need " +
                              std::to_string(octets) +
                              " octets, more than one xenstore message holds (" +
                              std::to_string(kXsPayloadMax) + ")");
    StateImage image;
    Status st = store_.SaveDomain(domid, report_.roots, &image);
    if (!st.ok())
        return st;
    if (image.bytes().empty())
        return Status::XenstoredRefused(EPROTO, "xenstored wrote no state for domain " +
                                                        std::to_string(domid));

    /* Check what xenstored wrote, in place, and pass it on as it is. */
    const Bytes saved = image.bytes();
    MemorySource src(saved);
    ConnectionState conn;
    StateCounts counts;
    const Status scanned = ScanDomainState(src, ReaderOptions{}, &conn, &counts);
    std::string why = scanned.message();
    bool ok = scanned.ok();
    if (ok && conn.domid != domid) {
        ok = false;
        why = "it is domain " + std::to_string(conn.domid) + "'s";
    }
    if (!ok)
        return Status::XenstoredRefused(EPROTO, "xenstored's saved state for domain " +
                                                        std::to_string(domid) +
                                                        " is not usable: " + why);
    if (!out.Write(saved))
        return Status::Io(errno, std::string("cannot write the stream: ") + std::strerror(errno));
    report_.counts = counts;
    report_.octets = saved.size();
    return Status::Ok();
}

} // namespace xsm
