/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of engine/state_checker.h, which says what it is. */
#include "engine/state_checker.h"

#include "engine/xs_syntax.h"
#include "stream/format.h"

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
    take("path-max", &l.path_max);
    take("memory", &l.memory);
    return l;
}

bool StateChecker::Charge(uint64_t octets, const char *what, std::string *why)
{
    counts_.memory += octets;
    if (counts_.memory <= static_cast<uint64_t>(limits_.memory))
        return true;
    *why = std::string(what) + " take the domain to " + std::to_string(counts_.memory) +
           " octets, more than xenstored's memory quota " + std::to_string(limits_.memory);
    return false;
}

bool StateChecker::Record(const Origin &at, uint32_t len, std::string *why)
{
    const uint64_t end = at.offset + kRecordHeaderSize + len;
    if (end <= limits_.StreamMax())
        return true;
    *why = "the stream reaches octet " + std::to_string(end) + ", more than the " +
           std::to_string(limits_.StreamMax()) + " a domain's state can take";
    return false;
}

bool StateChecker::Connection(const ConnectionState &c, std::string *why)
{
    if (c.domid != opts_.domid || c.tdomid != kDomidInvalid)
        beyond_domain_ = true;
    if (c.domid != opts_.domid) {
        *why = "the connection is domain " + std::to_string(c.domid) + "'s, not domain " +
               std::to_string(opts_.domid) + "'s";
        return false;
    }
    if (c.tdomid != kDomidInvalid) {
        *why = "the connection acts for domain " + std::to_string(c.tdomid) +
               " (SET_TARGET), which a domain's state cannot carry";
        return false;
    }
    /* Input: at most one request, the one the guest was writing. */
    if (c.in_data.size() > kXsMsgHeaderSize + kXsPayloadMax) {
        *why = "pending input of " + std::to_string(c.in_data.size()) +
               " octets, more than one request";
        return false;
    }
    if (c.out_resp_len > c.out_data.size()) {
        *why = "a partial response of " + std::to_string(c.out_resp_len) +
               " octets in pending output of " + std::to_string(c.out_data.size());
        return false;
    }
    if (!CheckMessages(c.in_data, 0, true, why) ||
        !CheckMessages(c.out_data, c.out_resp_len, false, why))
        return false;
    return Charge(c.in_data.size() + c.out_data.size(), "pending input and output", why);
}

bool StateChecker::Watch(const WatchState &w, std::string *why)
{
    if (++counts_.watches > limits_.watches) {
        *why = "more than " + std::to_string(limits_.watches) + " watches (xenstored's quota)";
        return false;
    }
    if (!CheckWatchPath(w.path, opts_.domid, limits_.path_max, why))
        return false;
    if (w.path.size() + w.token.size() + 2 > kXsPayloadMax) {
        *why = "watch path and token of " + std::to_string(w.path.size() + w.token.size()) +
               " octets do not fit in one XS_WATCH request";
        return false;
    }
    if (!watches_.insert(w.path + '\0' + w.token).second) {
        *why = "watch " + w.path + " with that token appears twice";
        return false;
    }
    return Charge(w.path.size() + w.token.size() + 2, "watches", why);
}

bool StateChecker::Transaction(const TransactionState &t, std::string *why)
{
    if (++counts_.transactions > limits_.transactions) {
        *why = "more than " + std::to_string(limits_.transactions) +
               " transactions (xenstored's quota)";
        return false;
    }
    if (t.tx_id == 0 || !tx_ids_.insert(t.tx_id).second) {
        *why = "transaction id " + std::to_string(t.tx_id) + " is 0 or appears twice";
        return false;
    }
    return true;
}

bool StateChecker::Node(const NodeState &n, bool *keep, std::string *why)
{
    const unsigned int me = opts_.domid;
    if (!CheckNodePath(n.path, limits_.path_max, why))
        return false;
    NodePolicy::Area area = policy_.Classify(n.path, me);
    if (!area.inside) {
        *why = "path " + n.path + " is outside domain " + std::to_string(me) + "'s nodes";
        beyond_domain_ = true;
        return false;
    }
    if (static_cast<long>(n.value.size()) > limits_.node_size) {
        *why = "value of " + n.path + " is " + std::to_string(n.value.size()) +
               " octets, more than xenstored's node-size quota " +
               std::to_string(limits_.node_size);
        return false;
    }
    if (static_cast<long>(n.perms.size()) > limits_.permissions) {
        *why = n.path + " has " + std::to_string(n.perms.size()) +
               " permissions, more than xenstored's quota " + std::to_string(limits_.permissions);
        return false;
    }
    for (const Perm &p : n.perms) {
        if (!CheckPerm(p, why)) {
            *why = n.path + ": " + *why;
            return false;
        }
    }
    if (n.pending()) {
        /* xenstored does not use them: checked, then dropped. */
        if (!tx_ids_.count(n.tx_id)) {
            *why = n.path + " is pending in transaction " + std::to_string(n.tx_id) +
                   ", which the stream does not have";
            return false;
        }
        counts_.pending++;
        *keep = false;
        return true;
    }
    if (n.perms.empty()) {
        *why = n.path + " has no permissions";
        return false;
    }
    switch (JudgeNode(n, area, opts_, why)) {
    case Verdict::kRefuse:
        beyond_domain_ = true;
        return false;
    case Verdict::kSkip:
        counts_.skipped++;
        *keep = false;
        return true;
    case Verdict::kTake:
        break;
    }
    if (nodes_.Contains(n.path)) {
        *why = "node " + n.path + " appears twice";
        return false;
    }
    nodes_.At(node_paths_.Keep(n.path)) = true;
    /* Every owner is bounded as a domain is: dom0 and backends only ever
     * own restored nodes in trusted mode. */
    const unsigned int owner = n.perms[0].domid;
    if (++owned_[owner] > limits_.nodes) {
        *why = "more than " + std::to_string(limits_.nodes) + " nodes owned by domain " +
               std::to_string(owner) + " (xenstored's quota)";
        return false;
    }
    const uint64_t octets = n.path.size() + 1 + n.value.size() + n.perms.size() * PermList::kSize;
    if (owner == me)
        return counts_.taken++, Charge(octets, "nodes", why);
    counts_.taken++;
    if ((owned_octets_[owner] += octets) > static_cast<uint64_t>(limits_.memory)) {
        *why = "nodes owned by domain " + std::to_string(owner) +
               " exceed xenstored's memory quota " + std::to_string(limits_.memory);
        return false;
    }
    return true;
}

bool CheckDomainState(const DomainState &s, const NodePolicy &policy,
                      const XenstoredLimits &limits, const CheckOptions &opts,
                      std::string *why)
{
    StateChecker c(policy, limits, opts);
    auto refuse = [&](const Origin &at) {
        *why = at.Describe() + ": " + *why;
        return false;
    };
    if (!c.Connection(s.conn, why))
        return refuse(s.conn.at);
    for (const WatchState &w : s.watches) {
        if (!c.Watch(w, why))
            return refuse(w.at);
    }
    for (const TransactionState &t : s.transactions) {
        if (!c.Transaction(t, why))
            return refuse(t.at);
    }
    for (const NodeState &n : s.nodes) {
        bool keep = true;
        if (!c.Node(n, &keep, why))
            return refuse(n.at);
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
        policy.RemapInPlace(&n.path, from, to);
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
