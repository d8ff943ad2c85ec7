/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The restore's checks of each element, one refusal at a time: a guest's
 * state that is right in every way but one is refused with the reason
 * naming that one, and the same state without it passes.
 */
#include <gtest/gtest.h>

#include <functional>

#include "engine/state_checker.h"
#include "move_helpers.h"

namespace xsm_test {
namespace {

using xsm::DomainState;

struct Case {
    const char *name;
    std::function<void(DomainState *, xsm::XenstoredLimits *)> spoil;
    const char *reason; /* a part of the refusal */
};

std::string Refusal(const DomainState &s, const xsm::XenstoredLimits &limits)
{
    xsm::CheckOptions o;
    o.domid = 5;
    std::string why;
    return xsm::CheckDomainState(s, xsm::NodePolicy::Default(), limits, o, &why) ? "" : why;
}

TEST(StateChecker, EachElementIsBoundedAndWellFormed)
{
    ASSERT_EQ(Refusal(GuestState(5), {}), "");
    const Case cases[] = {
        {"input beyond one request",
         [](DomainState *s, xsm::XenstoredLimits *) { s->conn.in_data.assign(16 + 4097, 'x'); },
         "more than one request"},
        {"a partial response longer than the output",
         [](DomainState *s, xsm::XenstoredLimits *) { s->conn.out_resp_len = 1; },
         "a partial response of 1 octets in pending output of 0"},
        {"more watches than the quota",
         [](DomainState *s, xsm::XenstoredLimits *l) {
             l->watches = 1;
             s->watches.push_back({Home(5) + "/other", "tok"});
         },
         "more than 1 watches (xenstored's quota)"},
        {"a watch too long for XS_WATCH",
         [](DomainState *s, xsm::XenstoredLimits *) { s->watches[0].token.assign(4096, 't'); },
         "do not fit in one XS_WATCH request"},
        {"a watch twice",
         [](DomainState *s, xsm::XenstoredLimits *) { s->watches.push_back(s->watches[0]); },
         "with that token appears twice"},
        {"more transactions than the quota",
         [](DomainState *s, xsm::XenstoredLimits *l) {
             l->transactions = 1;
             s->transactions.push_back({9});
         },
         "more than 1 transactions (xenstored's quota)"},
        {"transaction id 0",
         [](DomainState *s, xsm::XenstoredLimits *) { s->transactions[0].tx_id = 0; },
         "transaction id 0 is 0 or appears twice"},
        {"a value beyond node-size",
         [](DomainState *s, xsm::XenstoredLimits *) { s->nodes[3].value.assign(2049, 'v'); },
         "more than xenstored's node-size quota 2048"},
        {"more permissions than the quota",
         [](DomainState *s, xsm::XenstoredLimits *) {
             s->nodes[3].perms.assign(6, {'r', 0, 5});
         },
         "6 permissions, more than xenstored's quota 5"},
        {"a permission xenstored has no letter for",
         [](DomainState *s, xsm::XenstoredLimits *) { s->nodes[3].perms[1].perm = 'x'; },
         "data/x: permission access 'x' is not one of n r w b"},
        {"a node pending in a transaction the stream lacks",
         [](DomainState *s, xsm::XenstoredLimits *) { s->nodes[3].tx_id = 7; },
         "is pending in transaction 7, which the stream does not have"},
        {"a node without permissions",
         [](DomainState *s, xsm::XenstoredLimits *) { s->nodes[3].perms.clear(); },
         "has no permissions"},
    };
    for (const Case &c : cases) {
        DomainState s = GuestState(5);
        xsm::XenstoredLimits limits;
        c.spoil(&s, &limits);
        const std::string why = Refusal(s, limits);
        EXPECT_NE(why, "") << c.name << ": accepted";
        EXPECT_NE(why.find(c.reason), std::string::npos) << c.name << ": " << why;
    }
}

TEST(StateChecker, NodesPendingInTheStreamsTransactionsAreCheckedThenDropped)
{
    DomainState s = GuestState(5);
    s.nodes[3].tx_id = 4; /* the guest's open transaction */
    xsm::CheckOptions o;
    o.domid = 5;
    const xsm::XenstoredLimits limits; /* the checker keeps a reference */
    xsm::StateChecker checker(xsm::NodePolicy::Default(), limits, o);
    bool keep = true;
    std::string why;
    EXPECT_TRUE(checker.Transaction(s.transactions[0], &why)) << why;
    EXPECT_TRUE(checker.Node(s.nodes[3], &keep, &why)) << why;
    EXPECT_FALSE(keep);
    EXPECT_EQ(checker.counts().pending, 1);
}

} // namespace
} // namespace xsm_test
