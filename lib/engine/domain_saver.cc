/* SPDX-License-Identifier: LGPL-2.1-only */
#include "engine/domain_saver.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <sys/stat.h>

#include "engine/domain_state.h"
#include "engine/temp_file.h"
#include "engine/xs_syntax.h"
#include "stream/format.h"
#include "xen/domid.h"

namespace xsm {

bool DomainSaver::Save(unsigned int domid, ByteSink &out, XsError *e)
{
    std::string reply;
    const std::string id = std::to_string(domid);
    if (Status guest = CheckGuestDomid(domid, "save"); !guest.ok()) {
        *e = XsError::From(guest);
        return false;
    }
    if (!xs_.Control({"quiesce", id, "owned"}, &reply, e)) {
        /* Not our quiesce (or not known to be): nothing to undo. */
        if (e->err == EBUSY)
            e->why = "domain " + id + " is quiesced already (another save holds it): " + e->why;
        return false;
    }
    if (SaveQuiesced(domid, out, e))
        return true;
    if (e->lost) {
        /* Another request would wait as long; the closed connection resumes it. */
        if (e->err == ETIMEDOUT)
            e->why += "; xenstored resumes domain " + id + " when it reads the closed connection";
        return false;
    }
    XsError resume; /* the first error is the one to report */
    if (!Resume(domid, &resume))
        e->why += "; and domain " + id + " could not be resumed: " + resume.why;
    return false;
}

bool DomainSaver::Resume(unsigned int domid, XsError *e)
{
    /* Unquiescing dom0 would be harmless, but it was never saved: a
     * caller naming it has the wrong domain. */
    if (Status guest = CheckGuestDomid(domid, "resume"); !guest.ok()) {
        *e = XsError::From(guest);
        return false;
    }
    std::string reply;
    return xs_.Control({"unquiesce", std::to_string(domid)}, &reply, e);
}

bool DomainSaver::SaveQuiesced(unsigned int domid, ByteSink &out, XsError *e)
{
    std::vector<std::string> &roots = roots_;
    roots.clear();
    warnings_.clear();
    NodePolicy::Lister list = [this](const std::string &p, std::vector<std::string> *c,
                                     XsError *le) { return xs_.Directory(p, c, le); };
    NodePolicy::Reader read = [this](const std::string &p, std::string *v, XsError *le) {
        return xs_.Read(p, v, le);
    };
    if (!policy_.Roots(domid, list, read, &roots, &warnings_, e))
        return false;

    TempFile tmp;
    if (!tmp.Create("save")) {
        /* This host's file, as the caller's stream is: not xenstored's failure. */
        *e = XsError{errno, std::string("cannot create a scratch file: ") + std::strerror(errno)};
        e->io = true;
        return false;
    }
    /* The empty file argument: the file passed with the request. */
    std::vector<std::string> args{"save-domain", std::to_string(domid), ""};
    args.insert(args.end(), roots.begin(), roots.end());
    /* One message, however many devices: say why rather than the transport's "too large". */
    size_t octets = 0;
    for (const std::string &a : args)
        octets += a.size() + 1;
    if (octets > kXsPayloadMax) {
        *e = XsError{E2BIG, "domain " + std::to_string(domid) + "'s node set has " +
                                    std::to_string(roots.size()) +
                                    " subtrees (its home and its devices' backend "
                                    "directories, or what --node templates match): "
                                    "save-domain would need " +
                                    std::to_string(octets) + " octets, more than one "
                                    "xenstore message holds (" +
                                    std::to_string(kXsPayloadMax) + ")"};
        return false;
    }
    std::string reply;
    if (!xs_.Control(args, &reply, e, tmp.fd()))
        return false;

    /* Read what xenstored wrote in place, check it, pass it on as it is. */
    struct stat st;
    if (fstat(tmp.fd(), &st) < 0 || st.st_size == 0) {
        *e = XsError{EPROTO, "xenstored wrote no state for domain " + std::to_string(domid)};
        return false;
    }
    void *m = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, tmp.fd(), 0);
    if (m == MAP_FAILED) {
        *e = XsError{errno, std::string("cannot map the saved state: ") + std::strerror(errno)};
        e->io = true;
        return false;
    }
    Bytes saved(static_cast<const char *>(m), st.st_size);
    MemorySource src(saved);
    ConnectionState conn;
    StateCounts counts;
    Status scanned = ScanDomainState(src, ReaderOptions{}, &conn, &counts);
    std::string why = scanned.message();
    bool ok = scanned.ok();
    if (ok && conn.domid != domid) {
        ok = false;
        why = "it is domain " + std::to_string(conn.domid) + "'s";
    }
    bool saved_ok = false;
    if (!ok)
        *e = XsError{EPROTO, "xenstored's saved state for domain " + std::to_string(domid) +
                                     " is not usable: " + why};
    else if (!out.Write(saved)) {
        *e = XsError{errno, std::string("cannot write the stream: ") + std::strerror(errno)};
        e->io = true;
    } else {
        counts_ = counts;
        saved_ok = true;
    }
    munmap(m, st.st_size);
    return saved_ok;
}

} // namespace xsm
