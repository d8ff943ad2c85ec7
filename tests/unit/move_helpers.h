/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What the tests of the front door (test_domain_mover.cc) and of the C
 * API over it (test_c_api_domain.cc) share: a guest's state as xenstored
 * saves it, a host prepared as libxl prepares one, and a sink that fails.
 */
#ifndef XSM_TESTS_UNIT_MOVE_HELPERS_H
#define XSM_TESTS_UNIT_MOVE_HELPERS_H

#include <cerrno>
#include <string>

#include "engine/domain_state.h"
#include "fake_domain_store.h"
#include "stream/format.h"

namespace xsm_test {

inline std::string Home(unsigned int domid)
{
    return "/local/domain/" + std::to_string(domid);
}

inline std::string VifBackend(unsigned int domid)
{
    return "/local/domain/0/backend/vif/" + std::to_string(domid) + "/0";
}

/* Domain domid's state: its home as libxl writes it, its own data, a
 * frontend and its backend's state, a watch and an open transaction. */
inline xsm::DomainState GuestState(unsigned int domid)
{
    xsm::DomainState s;
    s.ctx.endian = xsm::kHostEndian;
    s.conn.conn_id = 1;
    s.conn.domid = static_cast<uint16_t>(domid);
    s.conn.evtchn = 3;
    s.watches.push_back({Home(domid) + "/data", "tok"});
    s.transactions.push_back({4});
    const uint16_t d = static_cast<uint16_t>(domid);
    auto node = [&](std::string path, std::string value, std::vector<xsm::Perm> perms) {
        xsm::NodeState n;
        n.path = std::move(path);
        n.value = std::move(value);
        n.perms = std::move(perms);
        s.nodes.push_back(n);
    };
    node(Home(domid), "", {{'n', 0, 0}, {'r', 0, d}});
    node(Home(domid) + "/domid", std::to_string(domid), {{'n', 0, 0}, {'r', 0, d}});
    node(Home(domid) + "/data", "", {{'n', 0, d}});
    node(Home(domid) + "/data/x", "1", {{'n', 0, d}, {'r', 0, 0}});
    node(Home(domid) + "/device/vif/0/backend", VifBackend(domid), {{'n', 0, d}, {'r', 0, 0}});
    node(VifBackend(domid) + "/state", "4", {{'n', 0, 0}, {'r', 0, d}});
    return s;
}

/* The state encoded as a stream (host order, version 1). */
inline std::string StreamOf(const xsm::DomainState &s)
{
    xsm::StringSink sink;
    xsm::EncodeOptions eo;
    eo.ctx.endian = xsm::kHostEndian;
    std::string why;
    if (!xsm::WriteDomainState(s, sink, eo, &why))
        throw std::runtime_error("cannot encode a test state: " + why);
    return sink.str();
}

/* A source host where domain domid runs, with its frontend and backend,
 * and xenstored saves it as GuestState(domid). */
inline void RunningGuest(FakeDomainStore *host, unsigned int domid)
{
    const uint16_t d = static_cast<uint16_t>(domid);
    host->Put(Home(domid), "", {{'n', 0}, {'r', d}});
    host->Put(Home(domid) + "/data/x", "1", {{'n', d}, {'r', 0}});
    host->Put(Home(domid) + "/device/vif/0/backend", VifBackend(domid), {{'n', d}, {'r', 0}});
    host->Put(VifBackend(domid) + "/state", "4", {{'n', 0}, {'r', d}});
    host->SetSavedState(domid, GuestState(domid));
}

/* A receiving host where libxl made domain domid's home and data area. */
inline void NewGuest(FakeDomainStore *host, unsigned int domid)
{
    const uint16_t d = static_cast<uint16_t>(domid);
    host->Put(Home(domid), "", {{'n', 0}, {'r', d}});
    host->Put(Home(domid) + "/data", "", {{'n', d}});
}

/* A caller's stream that cannot be written: a full device. */
class FullDevice : public xsm::ByteSink {
public:
    bool Write(xsm::Bytes) override
    {
        errno = ENOSPC;
        return false;
    }
};

} // namespace xsm_test

#endif
