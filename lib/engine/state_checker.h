/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What a receiving host accepts from a sender it cannot trust, checked
 * while the stream is read (engine/domain_state.h, StateFilter), before
 * xenstored sees any of it:
 *  - every path, watch path, permission and the framing of the pending
 *    input and output as xenstored itself validates them
 *    (engine/xs_syntax.h);
 *  - the connection, watches and transactions are the domain's own;
 *  - every node lies in the domain's node set (engine/node_policy.h) and
 *    passes the one rule (engine/restore_rule.h): taken, skipped (never
 *    kept, so it costs nothing) or refused;
 *  - bounds on everything, against xenstored's quotas for a domain:
 *    the stream's length, each record, nodes and their octets, watches
 *    and token octets, transactions, pending input and output.
 * The first violation is reported with the record it came from.
 */
#ifndef XSM_ENGINE_STATE_CHECKER_H
#define XSM_ENGINE_STATE_CHECKER_H

#include <map>
#include <set>
#include <string>
#include <unordered_set>

#include "engine/domain_state.h"
#include "engine/node_policy.h"
#include "engine/path_table.h"
#include "engine/restore_rule.h"

namespace xsm {

/* xenstored's limits, by the names of its "quota" command (4.17 defaults). */
struct XenstoredLimits {
    long nodes = 1000;         /* nodes per domain */
    long watches = 128;
    long transactions = 10;
    long node_size = 2048;
    long permissions = 5;      /* per node */
    long path_max = 2048;      /* below /local/domain/<id>/ ("path-max") */
    long memory = 2621440;     /* octets per domain ("memory", hard) */

    /* Takes what xenstored reported, keeps defaults for the rest. */
    static XenstoredLimits From(const std::map<std::string, long> &quotas);

    /* The longest stream (and record) worth reading: a domain at its
     * memory quota plus the toolstack's share of its node set. */
    uint64_t StreamMax() const { return 4 * static_cast<uint64_t>(memory) + 65536; }
};

using CheckOptions = RuleOptions;

/* What the checker counted, for the caller's log. */
struct CheckCounts {
    long taken = 0, skipped = 0, pending = 0, watches = 0, transactions = 0;
    uint64_t memory = 0;   /* octets charged to the guest */
};

class StateChecker : public StateFilter {
public:
    StateChecker(const NodePolicy &p, const XenstoredLimits &l, const CheckOptions &o)
        : policy_(p), limits_(l), opts_(o) {}

    bool Record(const Origin &at, uint32_t len, std::string *why) override;
    bool Connection(const ConnectionState &c, std::string *why) override;
    bool Watch(const WatchState &w, std::string *why) override;
    bool Transaction(const TransactionState &t, std::string *why) override;
    bool Node(const NodeState &n, bool *keep, std::string *why) override;

    const CheckCounts &counts() const { return counts_; }
    /* kBeyondDomain: the refusal was the rule's, not malformed data. */
    StatusCode refusal() const override
    {
        return beyond_domain_ ? StatusCode::kBeyondDomain : StatusCode::kBadStream;
    }

private:
    bool Charge(uint64_t octets, const char *what, std::string *why);

    const NodePolicy &policy_;
    const XenstoredLimits &limits_;
    const CheckOptions &opts_;
    CheckCounts counts_;
    bool beyond_domain_ = false;
    std::unordered_set<std::string> watches_;
    PathStore node_paths_;
    PathTable<bool> nodes_{64};                    /* views into node_paths_ */
    std::set<uint32_t> tx_ids_;
    std::map<unsigned int, long> owned_;           /* nodes kept, per owner */
    std::map<unsigned int, uint64_t> owned_octets_;
};

/* The same checks over a state already read (tests, fuzzing); skipped
 * nodes stay in s. */
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
