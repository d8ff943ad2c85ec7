/* SPDX-License-Identifier: LGPL-2.1-only */
#include "engine/domain_mover.h"

namespace xsm {

QuiesceTicket DomainMover::Save(unsigned int domid, ByteSink &out, XsError *e)
{
    DomainSaver saver(store_, policy_);
    QuiesceTicket ticket = saver.Save(domid, out, e);
    roots_ = saver.roots();
    warnings_ = saver.warnings();
    if (ticket) {
        counts_ = saver.counts();
        octets_ = saver.octets();
    }
    return ticket;
}

bool DomainMover::Restore(ByteSource &src, bool embedded, const RestoreTarget &t, XsError *e)
{
    DomainRestorer restorer(store_, policy_, trust_.domids, trust_.stream);
    if (!restorer.Restore(src, embedded, t, e))
        return false;
    counts_ = restorer.counts();
    octets_ = restorer.octets();
    return true;
}

} // namespace xsm
