/* SPDX-License-Identifier: LGPL-2.1-only */
#include "engine/domain_mover.h"

namespace xsm {

Status DomainMover::Save(unsigned int domid, ByteSink &out, QuiesceTicket *ticket)
{
    DomainSaver saver(store_, policy_);
    Status st = saver.Save(domid, out, ticket);
    roots_ = saver.roots();
    warnings_ = saver.warnings();
    if (st.ok()) {
        counts_ = saver.counts();
        octets_ = saver.octets();
    }
    return st;
}

Status DomainMover::Restore(ByteSource &src, bool embedded, const RestoreTarget &t)
{
    DomainRestorer restorer(store_, policy_, trust_.domids, trust_.stream);
    Status st = restorer.Restore(src, embedded, t);
    if (st.ok()) {
        counts_ = restorer.counts();
        octets_ = restorer.octets();
    }
    return st;
}

} // namespace xsm
