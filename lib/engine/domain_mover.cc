/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of engine/domain_mover.h, which says what it is. */
#include "engine/domain_mover.h"

namespace xsm {

Status DomainMover::Save(unsigned int domid, ByteSink &out, QuiesceTicket *ticket)
{
    DomainSaver saver(store_, policy_);
    Status st = saver.Save(domid, out, ticket);
    report_ = saver.report();
    return st;
}

Status DomainMover::Restore(ByteSource &src, bool embedded, const RestoreTarget &t)
{
    DomainRestorer restorer(store_, policy_, trust_.domids, trust_.stream);
    Status st = restorer.Restore(src, embedded, t);
    report_ = SaveReport();
    if (st.ok()) {
        report_.counts = restorer.counts();
        report_.octets = restorer.octets();
    }
    return st;
}

} // namespace xsm
