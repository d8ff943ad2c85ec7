/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What a receiving host accepts from a sender it cannot trust.
 *
 * A compromised source could put anything in the stream; everything is
 * checked before xenstored sees any of it:
 *  - the connection, watches and transactions are the domain's own;
 *  - every node lies inside the domain's node set (engine/node_policy.h);
 *  - permissions name only the domain, dom0, the backend owning the area
 *    and explicitly trusted domains; a backend area stays owned by its
 *    backend and gives the domain at most read access; the domain's own
 *    area is owned by the domain or dom0;
 *  - sizes and counts stay within xenstored's quotas.
 * The first violation is reported with the record it came from.
 */
#ifndef XSM_ENGINE_STATE_CHECKER_H
#define XSM_ENGINE_STATE_CHECKER_H

#include <map>
#include <set>
#include <string>

#include "engine/domain_state.h"
#include "engine/node_policy.h"

namespace xsm {

/* xenstored's limits, by the names of its "quota" command. */
struct XenstoredLimits {
    long nodes = 1000;         /* nodes per domain */
    long watches = 128;
    long transactions = 10;
    long node_size = 2048;
    long permissions = 5;      /* per node */
    long path_max = 3072;      /* XENSTORE_ABS_PATH_MAX */

    /* Takes what xenstored reported, keeps defaults for the rest. */
    static XenstoredLimits From(const std::map<std::string, long> &quotas);
};

struct CheckOptions {
    unsigned int domid = 0;           /* the domain the stream claims to be */
    std::set<unsigned int> trusted;   /* may appear in permissions too */
};

bool CheckDomainState(const DomainState &s, const NodePolicy &policy,
                      const XenstoredLimits &limits, const CheckOptions &opts,
                      std::string *why);

/*
 * Rewrites the state of domain `from` for domain `to`: the connection,
 * permissions, node paths and absolute watch paths inside the node set,
 * node values that are such paths, and the value of nodes named "domid"
 * (libxl's /local/domain/N/domid).  Tokens and other values are the
 * guest's and stay as they are.
 */
void RemapDomid(DomainState *s, const NodePolicy &policy, unsigned int from, unsigned int to);

} // namespace xsm

#endif
