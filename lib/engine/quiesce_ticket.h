/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A saved domain's quiesce, held by whoever has the saved state.
 *
 * After a successful save the domain stays quiesced: its ring belongs to
 * the receiving side once the stream has reached it.  Until the holder
 * says so (Commit()), the stream has not left this host, so dropping the
 * ticket (an early return, an exception, a failed write of the stream)
 * lets xenstored serve the domain here again.  A failed migration after
 * the commit is xsm_domain_resume()'s, as libxl's resume path calls it.
 */
#ifndef XSM_ENGINE_QUIESCE_TICKET_H
#define XSM_ENGINE_QUIESCE_TICKET_H

#include "xenstored/domain_store.h"

namespace xsm {

class QuiesceTicket {
public:
    /* Holds nothing (a failed save). */
    QuiesceTicket() = default;
    QuiesceTicket(DomainStore &store, unsigned int domid) : store_(&store), domid_(domid) {}
    /* Resumes the domain unless committed, released or resumed. */
    ~QuiesceTicket();
    QuiesceTicket(QuiesceTicket &&o) noexcept;
    QuiesceTicket &operator=(QuiesceTicket &&o) noexcept;
    QuiesceTicket(const QuiesceTicket &) = delete;
    QuiesceTicket &operator=(const QuiesceTicket &) = delete;

    bool held() const { return store_ != nullptr; }
    explicit operator bool() const { return held(); }
    unsigned int domid() const { return domid_; }

    /* The state is handed on: the domain stays quiesced. */
    void Commit() { store_ = nullptr; }
    /* Left to xenstored: the connection that quiesced the domain is gone,
     * and xenstored resumes a domain whose quiescing connection went away
     * before its state was handed off; another request would wait as
     * long as the lost one. */
    void LeaveToXenstored() { store_ = nullptr; }
    /* Unquiesce now: xenstored's refusal, or that it did not answer. */
    Status Resume();

private:
    DomainStore *store_ = nullptr;
    unsigned int domid_ = 0;
};

} // namespace xsm

#endif
