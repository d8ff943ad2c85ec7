/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Save: take one domain's xenstore state out of xenstored as a stream.
 *
 *   quiesce the domain (xenstored finishes what it took from the ring and
 *   takes no more) -> find the roots of its node set (its home and its
 *   devices' backend directories: engine/node_policy.h; all in one
 *   save-domain request, one xenstore message) -> save-domain into a
 *   scratch file -> check the stream is that domain's state -> copy it to
 *   the caller's sink.
 *
 * The domain stays quiesced after a successful save: its ring now belongs
 * to the receiving side.  A quiesce belongs to the save that made it: if
 * the domain is quiesced already (another save holds it), the save fails
 * with EBUSY and changes nothing.  If anything fails after our quiesce,
 * the domain is unquiesced again, so a failed migration leaves the guest
 * running where it was; when xenstored itself stopped answering, the
 * dropped connection does that (xenstored resumes a domain whose
 * quiescing connection went away before the state was handed off).
 */
#ifndef XSM_ENGINE_DOMAIN_SAVER_H
#define XSM_ENGINE_DOMAIN_SAVER_H

#include <string>
#include <vector>

#include "engine/domain_state.h"
#include "engine/node_policy.h"
#include "engine/quiesce_ticket.h"
#include "stream/byte_io.h"
#include "xenstored/domain_store.h"

namespace xsm {

/* What a save found and did, for the caller's log. */
struct SaveReport {
    std::vector<std::string> roots;    /* the node set's subtrees asked for */
    std::vector<std::string> warnings; /* what was not followed (engine/device_backends.h) */
    StateCounts counts;                /* what the stream holds, once saved */
    size_t octets = 0;                 /* its length */
};

class DomainSaver {
public:
    DomainSaver(DomainStore &store, const NodePolicy &policy) : store_(store), policy_(policy) {}

    /* The stream written to out; *ticket holds the domain's quiesce (none
     * if the save failed). */
    Status Save(unsigned int domid, ByteSink &out, QuiesceTicket *ticket);

    /* The last Save()'s. */
    const SaveReport &report() const { return report_; }

private:
    Status SaveQuiesced(unsigned int domid, ByteSink &out);

    DomainStore &store_;
    const NodePolicy &policy_;
    SaveReport report_;
};

} // namespace xsm

#endif
