/* SPDX-License-Identifier: LGPL-2.1-only */
#include "engine/state_checker.h"

#include <unordered_set>

namespace xsm {

XenstoredLimits XenstoredLimits::From(const std::map<std::string, long> &quotas)
{
    XenstoredLimits l;
    auto take = [&](const char *name, long *field) {
        auto it = quotas.find(name);
        if (it != quotas.end() && it->second > 0)
            *field = it->second;
    };
    take("nodes", &l.nodes);
    take("watches", &l.watches);
    take("transactions", &l.transactions);
    take("node-size", &l.node_size);
    take("permissions", &l.permissions);
    return l;
}

namespace {

class Checker {
public:
    Checker(const NodePolicy &p, const XenstoredLimits &l, const CheckOptions &o, std::string *why)
        : policy_(p), limits_(l), opts_(o), why_(why) {}

    bool Refuse(const Origin &at, const std::string &reason)
    {
        *why_ = at.Describe() + ": " + reason;
        return false;
    }

    bool Node(const NodeState &n)
    {
        const unsigned int me = opts_.domid;
        NodePolicy::Area area = policy_.Classify(n.path, me);
        if (!area.inside)
            return Refuse(n.at, "path " + n.path + " is outside domain " + std::to_string(me) +
                                        "'s nodes");
        if (static_cast<long>(n.path.size()) > limits_.path_max)
            return Refuse(n.at, "path of " + std::to_string(n.path.size()) +
                                        " octets exceeds xenstored's limit");
        if (static_cast<long>(n.value.size()) > limits_.node_size)
            return Refuse(n.at, "value of " + n.path + " is " + std::to_string(n.value.size()) +
                                        " octets, more than xenstored's node-size quota " +
                                        std::to_string(limits_.node_size));
        if (static_cast<long>(n.perms.size()) > limits_.permissions)
            return Refuse(n.at, n.path + " has " + std::to_string(n.perms.size()) +
                                        " permissions, more than xenstored's quota " +
                                        std::to_string(limits_.permissions));
        if (n.perms.empty())
            return true; /* deleted in a pending transaction */

        const bool own = area.owner < 0 || static_cast<unsigned int>(area.owner) == me;
        const unsigned int owner = n.perms[0].domid;
        if (own && owner != me && owner != 0)
            return Refuse(n.at, n.path + " would be owned by domain " + std::to_string(owner) +
                                        ", not by domain " + std::to_string(me) + " or dom0");
        if (!own && owner != static_cast<unsigned int>(area.owner))
            return Refuse(n.at, "backend node " + n.path + " would be owned by domain " +
                                        std::to_string(owner) + ", not by its backend " +
                                        std::to_string(area.owner));
        for (const Perm &p : n.perms) {
            bool allowed = p.domid == me || p.domid == 0 ||
                           (!own && p.domid == static_cast<unsigned int>(area.owner)) ||
                           opts_.trusted.count(p.domid);
            if (!allowed)
                return Refuse(n.at, n.path + " has a permission for domain " +
                                            std::to_string(p.domid) +
                                            ", a third domain the stream may not grant rights to");
            if (!own && p.domid == me && p.perm != 'r' && p.perm != 'n')
                return Refuse(n.at, "backend node " + n.path + " would grant domain " +
                                            std::to_string(me) + " '" + p.perm +
                                            "' access (at most 'r')");
        }
        if (!n.pending() && owner == me)
            owned_++;
        return true;
    }

    int owned() const { return owned_; }

private:
    const NodePolicy &policy_;
    const XenstoredLimits &limits_;
    const CheckOptions &opts_;
    std::string *why_;
    int owned_ = 0;
};

} // namespace

bool CheckDomainState(const DomainState &s, const NodePolicy &policy,
                      const XenstoredLimits &limits, const CheckOptions &opts,
                      std::string *why)
{
    Checker c(policy, limits, opts, why);
    const ConnectionState &conn = s.conn;
    if (conn.domid != opts.domid)
        return c.Refuse(conn.at, "the connection is domain " + std::to_string(conn.domid) +
                                         "'s, not domain " + std::to_string(opts.domid) + "'s");
    if (conn.tdomid != kDomidInvalid)
        return c.Refuse(conn.at, "the connection acts for domain " + std::to_string(conn.tdomid) +
                                         " (SET_TARGET), which a domain's state cannot carry");
    if (static_cast<long>(s.watches.size()) > limits.watches)
        return c.Refuse(s.watches[limits.watches].at,
                        std::to_string(s.watches.size()) + " watches, more than xenstored's quota " +
                                std::to_string(limits.watches));
    if (static_cast<long>(s.transactions.size()) > limits.transactions)
        return c.Refuse(s.transactions[limits.transactions].at,
                        std::to_string(s.transactions.size()) +
                                " transactions, more than xenstored's quota " +
                                std::to_string(limits.transactions));

    std::unordered_set<std::string> seen;
    for (const NodeState &n : s.nodes) {
        if (!c.Node(n))
            return false;
        if (!n.pending() && !seen.insert(n.path).second)
            return c.Refuse(n.at, "node " + n.path + " appears twice");
        if (c.owned() > limits.nodes)
            return c.Refuse(n.at, "more than " + std::to_string(limits.nodes) +
                                          " nodes owned by the domain (xenstored's quota)");
    }
    return true;
}

void RemapDomid(DomainState *s, const NodePolicy &policy, unsigned int from, unsigned int to)
{
    const std::string from_s = std::to_string(from);
    s->conn.domid = static_cast<uint16_t>(to);
    for (WatchState &w : s->watches) {
        if (!w.path.empty() && w.path[0] == '/')
            w.path = policy.Remap(w.path, from, to);
    }
    for (NodeState &n : s->nodes) {
        n.path = policy.Remap(n.path, from, to);
        for (Perm &p : n.perms) {
            if (p.domid == from)
                p.domid = static_cast<uint16_t>(to);
        }
        if (!n.value.empty() && n.value[0] == '/' && policy.Classify(n.value, from).inside)
            n.value = policy.Remap(n.value, from, to);
        size_t slash = n.path.rfind('/');
        if (n.path.compare(slash + 1, std::string::npos, "domid") == 0 && n.value == from_s)
            n.value = std::to_string(to);
    }
}

} // namespace xsm
