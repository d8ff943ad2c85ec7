/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The one rule of restore: a node restored from a stream is one the guest
 * itself could have created, with those permissions, on the receiving
 * host through the normal protocol.  Everything else the receiving
 * toolstack writes for this host, or the stream is a forgery.
 *
 * Per node, JudgeNode() decides (see docs/engine.md, "Who wins"):
 *  - take:   owned by the guest (first permission entry), in its own area;
 *  - skip:   what a sending toolstack legitimately saved but this host's
 *            toolstack writes (dom0-owned nodes of the guest's area such as
 *            name, vm, domid, store/...; every node of a backend area,
 *            whoever owns it: the backend domain writes there as it likes;
 *            control/shutdown and the guest's device/ subtree, its frontends,
 *            which are reset): never applied;
 *  - refuse: what only a hostile sender produces (nodes owned by a third
 *            domain, permissions for third domains, a first entry giving
 *            every other domain write access on a node the guest does not
 *            own; in trusted mode, where backend areas are applied, a
 *            backend node owned by someone else or writable by the guest).
 * CheckAgainstHost() then judges the nodes to take against what the
 * receiving host holds: an existing node is replaced only by a node of
 * the same owner, and a node's parent must exist (writable by its owner)
 * or be restored itself.  CheckStoredSizes() bounds each node as
 * xenstored stores it, after the domid rewrite.
 *
 * Trusted mode (xsm_set_trusted_stream(), `restore --trusted-stream`) is
 * for an administrator moving state between hosts they control: the
 * stream's dom0- and backend-owned nodes are restored too, judged against
 * the host for their owners; paths, permissions and bounds are checked
 * all the same.
 *
 * xenstored's restore-domain applies the same rule itself, in the request
 * that writes the nodes (libxl-patches, xenstored-domain-state(7)): this
 * check gives early, precise errors; the daemon's is what holds.  The
 * cases both are tested on: tests/vectors/restore-rule-cases.
 */
#ifndef XSM_ENGINE_RESTORE_RULE_H
#define XSM_ENGINE_RESTORE_RULE_H

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "engine/domain_state.h"
#include "engine/node_policy.h"
#include "common/status.h"
#include "xenstored/xs_answer.h"

namespace xsm {

struct RuleOptions {
    unsigned int domid = 0;           /* the guest, as the stream names it */
    std::set<unsigned int> trusted;   /* driver domains: may appear in permissions */
    bool trusted_stream = false;      /* an administrator's own stream */
};

enum class Verdict { kTake, kSkip, kRefuse };

/* Judges a committed node (non-empty permissions) in the guest's node set. */
Verdict JudgeNode(const NodeState &n, const NodePolicy::Area &area, const RuleOptions &o,
                  std::string *why);

/* Can domid write (or create children of) a node with these permissions? */
bool Writable(const std::vector<XsPermission> &perms, unsigned int domid);

/* The receiving host's permissions of a path (empty: no such node). */
using HostLookup = std::function<Status(const std::string &path,
                                        std::vector<XsPermission> *perms)>;

/*
 * The nodes to take, judged against the receiving host, where the guest
 * will be domain `to`.  kBeyondDomain naming the record for a refusal,
 * or the lookup's failure as it is.
 */
Status CheckAgainstHost(const DomainState &s, const NodePolicy &policy, const RuleOptions &o,
                        unsigned int to, const HostLookup &lookup);

/*
 * The octets xenstored stores for a node: its tdb record's header, the
 * permissions, the value and the names of its children (xenstored_core.c,
 * write_node_raw), what the node-size quota bounds for a write by an
 * unprivileged domain.
 */
size_t StoredNodeSize(const NodeState &n, size_t childlen);

/*
 * Every committed node of s, already rewritten for the domain it is
 * restored as, below the node-size quota as xenstored counts it for its
 * owner (dom0 is not bounded), its children being those of s.  kBadStream
 * (oversized, as the checks while reading say) naming the record.
 */
Status CheckStoredSizes(const DomainState &s, long node_size);

} // namespace xsm

#endif
