/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of engine/quiesce_ticket.h, which says what it is. */
#include "engine/quiesce_ticket.h"

#include <utility>

namespace xsm {

QuiesceTicket::~QuiesceTicket()
{
    if (!held())
        return;
    /* Nobody is left to tell of a failure; an exception cannot leave. */
    try {
        (void)Resume();
    } catch (...) {
    }
}

QuiesceTicket::QuiesceTicket(QuiesceTicket &&o) noexcept
    : store_(std::exchange(o.store_, nullptr)), domid_(o.domid_)
{
}

QuiesceTicket &QuiesceTicket::operator=(QuiesceTicket &&o) noexcept
{
    if (this != &o) {
        QuiesceTicket dropped(std::move(*this));
        store_ = std::exchange(o.store_, nullptr);
        domid_ = o.domid_;
    }
    return *this;
}

Status QuiesceTicket::Resume()
{
    DomainStore *store = std::exchange(store_, nullptr);
    return store ? store->Unquiesce(domid_) : Status::Ok();
}

} // namespace xsm
