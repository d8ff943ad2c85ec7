/* SPDX-License-Identifier: LGPL-2.1-only */
#include "engine/domain_saver.h"

#include <cerrno>
#include <cstring>

#include "engine/domain_state.h"
#include "engine/xs_syntax.h"
#include "stream/format.h"

namespace xsm {

QuiesceTicket DomainSaver::Save(unsigned int domid, ByteSink &out, XsError *e)
{
    const std::string id = std::to_string(domid);
    /* dom0's ring is the toolstack's own; reserved ids are no domains. */
    if (domid == 0 || domid >= kDomidFirstReserved) {
        *e = XsError{EINVAL, "domain " + id + " cannot be saved (dom0 or a reserved id)", true};
        return {};
    }
    if (!store_.Quiesce(domid, e)) {
        /* Not our quiesce (or not known to be): nothing to undo. */
        if (e->err == EBUSY)
            e->why = "domain " + id + " is quiesced already (another save holds it): " + e->why;
        return {};
    }
    QuiesceTicket ticket(store_, domid);
    if (SaveQuiesced(domid, out, e))
        return ticket;
    if (e->lost) {
        ticket.LeaveToXenstored();
        if (e->err == ETIMEDOUT)
            e->why += "; xenstored resumes domain " + id + " when it reads the closed connection";
        return {};
    }
    XsError resume; /* the first error is the one to report */
    if (!ticket.Resume(&resume))
        e->why += "; and domain " + id + " could not be resumed: " + resume.why;
    return {};
}

bool DomainSaver::SaveQuiesced(unsigned int domid, ByteSink &out, XsError *e)
{
    roots_.clear();
    warnings_.clear();
    NodePolicy::Lister list = [this](const std::string &p, std::vector<std::string> *c,
                                     XsError *le) { return store_.Directory(p, c, le); };
    NodePolicy::Reader read = [this](const std::string &p, std::string *v, XsError *le) {
        return store_.Read(p, v, le);
    };
    if (!policy_.Roots(domid, list, read, &roots_, &warnings_, e))
        return false;

    /* One message, however many devices: say why rather than the transport's "too large". */
    const size_t octets = SaveDomainRequestOctets(domid, roots_);
    if (octets > kXsPayloadMax) {
        *e = XsError{E2BIG, "domain " + std::to_string(domid) + "'s node set has " +
                                    std::to_string(roots_.size()) +
                                    " subtrees (its home and its devices' backend "
                                    "directories, or what --node templates match): "
                                    "save-domain would need " +
                                    std::to_string(octets) + " octets, more than one "
                                    "xenstore message holds (" +
                                    std::to_string(kXsPayloadMax) + ")"};
        return false;
    }
    StateImage image;
    if (!store_.SaveDomain(domid, roots_, &image, e))
        return false;
    if (image.bytes().empty()) {
        *e = XsError{EPROTO, "xenstored wrote no state for domain " + std::to_string(domid)};
        return false;
    }

    /* Check what xenstored wrote, in place, and pass it on as it is. */
    const Bytes saved = image.bytes();
    MemorySource src(saved);
    ConnectionState conn;
    StateCounts counts;
    std::string why;
    bool ok = ScanDomainState(src, ReaderOptions{}, &conn, &counts, &why);
    if (ok && conn.domid != domid) {
        ok = false;
        why = "it is domain " + std::to_string(conn.domid) + "'s";
    }
    if (!ok) {
        *e = XsError{EPROTO, "xenstored's saved state for domain " + std::to_string(domid) +
                                     " is not usable: " + why};
        return false;
    }
    if (!out.Write(saved)) {
        *e = XsError{errno, std::string("cannot write the stream: ") + std::strerror(errno)};
        e->io = true;
        return false;
    }
    counts_ = counts;
    octets_ = saved.size();
    return true;
}

} // namespace xsm
