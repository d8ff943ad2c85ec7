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
 *            name, vm, domid, store/...; backend areas owned by their backend;
 *            control/shutdown and the guest's device/ subtree, its frontends,
 *            which are reset): valid, never applied;
 *  - refuse: what only a hostile sender produces (nodes owned by a third
 *            domain, permissions for third domains, a first entry giving
 *            every other domain write access, a backend node owned by
 *            someone else or writable by the guest).
 * CheckAgainstHost() then judges the nodes to take against what the
 * receiving host holds: an existing node the guest does not own is not
 * replaced, and a node's parent must exist (writable by the guest) or be
 * restored itself.
 *
 * Trusted mode (xsm_set_trusted_stream(), `restore --trusted-stream`) is
 * for an administrator moving state between hosts they control: the
 * stream's dom0- and backend-owned nodes are restored too and the host
 * is not consulted; paths, permissions and bounds are checked all the
 * same.
 */
#ifndef XSM_ENGINE_RESTORE_RULE_H
#define XSM_ENGINE_RESTORE_RULE_H

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "engine/domain_state.h"
#include "engine/node_policy.h"
#include "xenstored/xenstored_client.h"

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
bool Writable(const std::vector<XenstoredClient::Permission> &perms, unsigned int domid);

/* The receiving host's permissions of a path (empty: no such node). */
using HostLookup = std::function<bool(const std::string &path,
                                      std::vector<XenstoredClient::Permission> *perms,
                                      XsError *e)>;

/*
 * The nodes to take, judged against the receiving host, where the guest
 * will be domain `to`.  False with e->refused (and the record in e->why)
 * for a refusal, or with the lookup's error.
 */
bool CheckAgainstHost(const DomainState &s, const NodePolicy &policy, const RuleOptions &o,
                      unsigned int to, const HostLookup &lookup, XsError *e);

} // namespace xsm

#endif
