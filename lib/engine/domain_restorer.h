/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Restore: put one domain's xenstore state back into xenstored.
 *
 *   read the stream (from libxl's fd: nothing past END), checking every
 *   record as it arrives as coming from an untrusted sender
 *   (engine/state_checker.h: syntax, bounds, the one rule) -> judge the
 *   nodes to take against this host (engine/restore_rule.h) -> rewrite it
 *   for the new domid -> restore-domain, which introduces the domain with
 *   its connection, watches and transactions (each forced to EAGAIN) and
 *   writes its nodes, all in one step.
 *
 * Nothing reaches xenstored before every check has passed, and xenstored
 * applies all of the stream or none of it.
 */
#ifndef XSM_ENGINE_DOMAIN_RESTORER_H
#define XSM_ENGINE_DOMAIN_RESTORER_H

#include <set>

#include "engine/domain_state.h"
#include "engine/node_policy.h"
#include "stream/byte_io.h"
#include "xenstored/domain_store.h"

namespace xsm {

struct RestoreTarget {
    unsigned int domid = 0;        /* on this host */
    unsigned int from_domid = 0;   /* in the stream */
    unsigned int store_port = 0;   /* the guest's store event channel here */
    uint64_t store_gfn = 0;        /* its ring page, for INTRODUCE */
    /* Leave the connection quiesced: the caller (libxl) writes its own
     * nodes before the guest's requests are served, then unquiesces. */
    bool keep_quiesced = false;
};

class DomainRestorer {
public:
    /* trusted_stream: an administrator's own stream (engine/restore_rule.h). */
    DomainRestorer(DomainStore &store, const NodePolicy &policy,
                   const std::set<unsigned int> &trusted, bool trusted_stream)
        : store_(store), policy_(policy), trusted_(trusted), trusted_stream_(trusted_stream) {}

    /* embedded: src goes on after END (libxl's stream). */
    Status Restore(ByteSource &src, bool embedded, const RestoreTarget &t);

    /* What the last successful Restore() put into xenstored. */
    const StateCounts &counts() const { return counts_; }
    /* The octets of the stream it read. */
    size_t octets() const { return octets_; }

private:
    DomainStore &store_;
    const NodePolicy &policy_;
    const std::set<unsigned int> &trusted_;
    bool trusted_stream_;
    StateCounts counts_;
    size_t octets_ = 0;
};

} // namespace xsm

#endif
