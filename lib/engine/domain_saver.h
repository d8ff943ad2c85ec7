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

class DomainSaver {
public:
    DomainSaver(DomainStore &store, const NodePolicy &policy) : store_(store), policy_(policy) {}

    /* The stream written to out; *ticket holds the domain's quiesce (none
     * if the save failed). */
    Status Save(unsigned int domid, ByteSink &out, QuiesceTicket *ticket);

    /* The roots of the node set the last Save() asked xenstored for. */
    const std::vector<std::string> &roots() const { return roots_; }
    /* What the last Save() did not follow (engine/device_backends.h). */
    const std::vector<std::string> &warnings() const { return warnings_; }
    /* What the last successful Save() wrote. */
    const StateCounts &counts() const { return counts_; }
    /* Its length. */
    size_t octets() const { return octets_; }

private:
    Status SaveQuiesced(unsigned int domid, ByteSink &out);

    DomainStore &store_;
    const NodePolicy &policy_;
    std::vector<std::string> roots_;
    std::vector<std::string> warnings_;
    StateCounts counts_;
    size_t octets_ = 0;
};

} // namespace xsm

#endif
