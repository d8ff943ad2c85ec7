/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The one front door to moving a domain's xenstore state: save, restore,
 * and resume after a failed move, over whatever xenstored the domain
 * store speaks to.  The C API (lib/c_api_domain.cc) is a thin layer over
 * it, and the xsmigrate command reaches it only through the C API, as xl
 * reaches libxl.
 *
 * A save returns a ticket holding the domain's quiesce
 * (engine/quiesce_ticket.h): the caller commits it once the stream is
 * safely handed on; dropped before that, it resumes the domain.
 */
#ifndef XSM_ENGINE_DOMAIN_MOVER_H
#define XSM_ENGINE_DOMAIN_MOVER_H

#include <set>
#include <string>
#include <vector>

#include "engine/domain_restorer.h"
#include "engine/domain_saver.h"
#include "engine/domain_state.h"
#include "engine/node_policy.h"
#include "engine/quiesce_ticket.h"
#include "stream/byte_io.h"
#include "xenstored/domain_store.h"
#include "xen/domid.h"

namespace xsm {

/* Whom a restore trusts besides the guest (engine/restore_rule.h). */
struct RestoreTrust {
    std::set<unsigned int> domids;  /* may appear in permissions (driver domains) */
    bool stream = false;            /* an administrator's own stream */
};

class DomainMover {
public:
    DomainMover(DomainStore &store, const NodePolicy &policy, RestoreTrust trust = {})
        : store_(store), policy_(policy), trust_(std::move(trust))
    {
    }

    /* Whether xenstored can move a domain's state at all (ENOSYS, in
     * words, if not): asked before anything irreversible. */
    Status Check() { return store_.CheckCommands(); }

    /* Domain domid's state, quiesced, as a stream written to out; *ticket
     * holds the quiesce (none if the save failed: the domain is served). */
    Status Save(unsigned int domid, ByteSink &out, QuiesceTicket *ticket);

    /* A stream from src as domain t.domid; embedded: src goes on after END. */
    Status Restore(ByteSource &src, bool embedded, const RestoreTarget &t);

    /* Serve a domain a committed save left quiesced again (the move failed). */
    /* Unquiescing dom0 would be harmless, but it was never saved: a
     * caller naming it has the wrong domain. */
    Status Resume(unsigned int domid)
    {
        if (Status guest = CheckGuestDomid(domid, "resume"); !guest.ok())
            return guest;
        return QuiesceTicket(store_, domid).Resume();
    }

    /* The last save's; after a restore, only the state it applied and
     * its stream's length. */
    const SaveReport &report() const { return report_; }

private:
    DomainStore &store_;
    const NodePolicy &policy_;
    const RestoreTrust trust_;
    SaveReport report_;
};

} // namespace xsm

#endif
