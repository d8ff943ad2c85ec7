/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The front door (engine/domain_mover.h) over the in-memory xenstored:
 * what a save, a restore and a resume ask of xenstored, in which order,
 * and what each leaves behind when any step fails - the guest is never
 * left quiesced by a save that did not hand its state on, and nothing
 * reaches xenstored from a stream that is refused.
 */
#include <gtest/gtest.h>

#include <algorithm>

#include "engine/domain_mover.h"
#include "move_helpers.h"

namespace xsm_test {
namespace {

using xsm::DomainMover;
using xsm::QuiesceTicket;
using xsm::Status;
using xsm::StatusCode;
using F = FakeDomainStore;

bool Contains(const std::string &s, const std::string &part)
{
    return s.find(part) != std::string::npos;
}

bool Sent(const FakeDomainStore &xs, const std::string &request)
{
    const auto &r = xs.requests();
    return std::find(r.begin(), r.end(), request) != r.end();
}

class Save : public ::testing::Test {
protected:
    void SetUp() override { RunningGuest(&xs, 5); }

    Status SaveGuest(QuiesceTicket *t, unsigned int domid = 5)
    {
        Status st = mover.Save(domid, out, t);
        EXPECT_EQ(t->held(), st.ok()) << st.message();
        return st;
    }
    /* A save that must succeed, its ticket held. */
    QuiesceTicket Saved(unsigned int domid = 5)
    {
        QuiesceTicket t;
        Status st = SaveGuest(&t, domid);
        EXPECT_TRUE(st.ok()) << st.message();
        return t;
    }
    /* A save that must fail, holding nothing. */
    Status SaveFails(unsigned int domid = 5)
    {
        QuiesceTicket t;
        Status st = SaveGuest(&t, domid);
        EXPECT_FALSE(st.ok());
        return st;
    }

    FakeDomainStore xs;
    xsm::NodePolicy policy = xsm::NodePolicy::Default();
    DomainMover mover{xs, policy};
    xsm::StringSink out;
};

TEST_F(Save, WritesWhatXenstoredSavedAndKeepsTheDomainQuiesced)
{
    QuiesceTicket t;
    Status e = SaveGuest(&t);
    ASSERT_TRUE(e.ok()) << e.message();
    EXPECT_EQ(out.str(), StreamOf(GuestState(5)));
    EXPECT_TRUE(Sent(xs, "quiesce 5 owned"));
    /* Its home and its own device's backend directory, in one request. */
    EXPECT_EQ(xs.saved_roots(), (std::vector<std::string>{VifBackend(5), Home(5)}));
    EXPECT_EQ(mover.report().roots, xs.saved_roots());
    EXPECT_EQ(mover.report().counts.nodes, 6u);
    EXPECT_EQ(mover.report().counts.watches, 1u);
    EXPECT_EQ(mover.report().octets, out.str().size());
    t.Commit();
    t = QuiesceTicket();
    /* Handed on: the ring is the receiving side's. */
    EXPECT_TRUE(xs.quiesced(5));
    EXPECT_EQ(xs.count(F::kUnquiesce), 0u);
}

TEST_F(Save, ADroppedTicketResumesTheDomain)
{
    {
        QuiesceTicket t = Saved();
        EXPECT_TRUE(xs.quiesced(5));
    }
    EXPECT_FALSE(xs.quiesced(5));
    EXPECT_EQ(xs.requests().back(), "unquiesce 5");
}

TEST_F(Save, ATicketResumesOnceWhereverItIsMoved)
{
    QuiesceTicket a = Saved();
    QuiesceTicket b(std::move(a));
    EXPECT_FALSE(a.held());
    EXPECT_EQ(b.domid(), 5u);
    RunningGuest(&xs, 6);
    QuiesceTicket c = Saved(6);
    c = std::move(b); /* 6 is dropped: resumed; 5 is held by c */
    EXPECT_FALSE(xs.quiesced(6));
    EXPECT_TRUE(xs.quiesced(5));
    EXPECT_TRUE(c.Resume().ok());
    EXPECT_FALSE(c.held());
    EXPECT_TRUE(c.Resume().ok()); /* nothing left to resume */
    EXPECT_EQ(xs.count(F::kUnquiesce), 2u);
}

TEST_F(Save, ADroppedTicketWhoseResumeFailsIsQuiet)
{
    {
        QuiesceTicket t = Saved();
        xs.FailAt(F::kUnquiesce, 1, ETIMEDOUT, true);
    }
    /* xenstored resumes it itself once it reads the closed connection. */
    EXPECT_EQ(xs.count(F::kUnquiesce), 1u);
}

TEST_F(Save, ADomainQuiescedAlreadyBelongsToTheOtherSave)
{
    Saved().Commit();
    QuiesceTicket second;
    Status e = SaveGuest(&second);
    EXPECT_FALSE(second);
    EXPECT_TRUE(e.Is(StatusCode::kXenstoredRefused));
    EXPECT_EQ(e.sys_errno(), EBUSY);
    EXPECT_TRUE(Contains(e.message(), "domain 5 is quiesced already (another save holds "
                                      "it): xenstored refused \"quiesce\""))
            << e.message();
    EXPECT_TRUE(xs.quiesced(5)); /* not ours to undo */
    EXPECT_EQ(xs.count(F::kUnquiesce), 0u);
}

TEST_F(Save, AQuiesceRefusedOrTimedOutChangesNothing)
{
    xs.FailAt(F::kQuiesce, 1, EACCES);
    Status e = SaveFails();
    EXPECT_EQ(e.sys_errno(), EACCES);
    EXPECT_FALSE(e.Is(StatusCode::kXenstoredLost));
    EXPECT_EQ(e.message(), "xenstored refused \"quiesce\": Permission denied");

    xs.FailAt(F::kQuiesce, 1, ETIMEDOUT, true);
    e = SaveFails();
    EXPECT_EQ(e.sys_errno(), ETIMEDOUT);
    EXPECT_TRUE(e.Is(StatusCode::kXenstoredLost));
    EXPECT_EQ(xs.count(F::kUnquiesce), 0u);
    EXPECT_EQ(xs.count(F::kSaveDomain), 0u);
    EXPECT_TRUE(out.str().empty());
}

TEST_F(Save, AFailedSaveDomainResumesTheDomain)
{
    xs.FailAt(F::kSaveDomain, 1, EIO);
    Status e = SaveFails();
    EXPECT_EQ(e.sys_errno(), EIO);
    EXPECT_EQ(e.message(), "xenstored refused \"save-domain\": Input/output error");
    EXPECT_FALSE(xs.quiesced(5));
    EXPECT_EQ(xs.requests().back(), "unquiesce 5");
    EXPECT_TRUE(out.str().empty());
}

TEST_F(Save, AResumeThatFailsTooIsReportedAfterTheFirstError)
{
    xs.FailAt(F::kSaveDomain, 1, EIO);
    xs.FailAt(F::kUnquiesce, 1, EINVAL);
    Status e = SaveFails();
    EXPECT_EQ(e.sys_errno(), EIO);
    EXPECT_EQ(e.message(), "xenstored refused \"save-domain\": Input/output error; and "
                           "domain 5 could not be resumed: xenstored refused \"unquiesce\": "
                           "Invalid argument");
}

TEST_F(Save, ALostConnectionLeavesTheResumeToXenstored)
{
    /* Another request would wait as long: the closed connection resumes it. */
    xs.FailAt(F::kSaveDomain, 1, ETIMEDOUT, true);
    Status e = SaveFails();
    EXPECT_TRUE(e.Is(StatusCode::kXenstoredLost));
    EXPECT_TRUE(Contains(e.message(), "; xenstored resumes domain 5 when it reads the "
                                      "closed connection"))
            << e.message();
    EXPECT_EQ(xs.count(F::kUnquiesce), 0u);

    /* A broken connection, no timeout: said as it is. */
    FakeDomainStore other;
    RunningGuest(&other, 5);
    other.FailAt(F::kDirectory, 1, ECONNRESET, true);
    DomainMover m(other, policy);
    QuiesceTicket none;
    e = m.Save(5, out, &none);
    EXPECT_FALSE(e.ok());
    EXPECT_EQ(e.sys_errno(), ECONNRESET);
    EXPECT_FALSE(Contains(e.message(), "closed connection")) << e.message();
    EXPECT_EQ(other.count(F::kUnquiesce), 0u);
}

TEST_F(Save, FindingTheNodeSetFailsAndResumes)
{
    xs.FailAt(F::kRead, 1, EACCES);
    Status e = SaveFails();
    EXPECT_EQ(e.sys_errno(), EACCES);
    EXPECT_FALSE(xs.quiesced(5));
    EXPECT_EQ(xs.count(F::kSaveDomain), 0u);
}

TEST_F(Save, WhatXenstoredWroteIsCheckedBeforeItLeaves)
{
    Status e;
    xs.SetSavedOctets(5, "");
    e = SaveFails();
    EXPECT_EQ(e.sys_errno(), EPROTO);
    EXPECT_EQ(e.message(), "xenstored wrote no state for domain 5");
    EXPECT_FALSE(xs.quiesced(5));

    xs.SetSavedState(5, GuestState(6));
    e = SaveFails();
    EXPECT_EQ(e.message(), "xenstored's saved state for domain 5 is not usable: it is domain 6's");

    xs.SetSavedOctets(5, "not a stream at all");
    e = SaveFails();
    EXPECT_TRUE(Contains(e.message(), "xenstored's saved state for domain 5 is not usable: "))
            << e.message();
    EXPECT_FALSE(xs.quiesced(5));
    EXPECT_TRUE(out.str().empty());
}

TEST_F(Save, AStreamThatCannotBeWrittenResumesTheDomain)
{
    FullDevice full;
    Status e;
    QuiesceTicket none;
    e = mover.Save(5, full, &none);
    EXPECT_FALSE(e.ok());
    EXPECT_TRUE(e.Is(StatusCode::kIo));
    EXPECT_EQ(e.sys_errno(), ENOSPC);
    EXPECT_EQ(e.message(), "cannot write the stream: No space left on device");
    EXPECT_FALSE(xs.quiesced(5));
}

TEST_F(Save, Dom0AndReservedIdsAreNoDomainsToSave)
{
    Status e;
    for (unsigned int d : {0u, 0x7ff0u, 0xffffu}) {
        e = SaveFails(d);
        EXPECT_TRUE(e.Is(StatusCode::kBadArgument)) << e.ToString();
    }
    EXPECT_TRUE(xs.requests().empty());
}

TEST_F(Save, ANodeSetBeyondOneMessageIsRefusedBeforeXenstoredIsAsked)
{
    /* A custom template matching ~300 subtrees. */
    xsm::NodePolicy wide;
    std::string why;
    ASSERT_TRUE(wide.Parse({"/local/domain/$DOMID", "/local/domain/*/dm/$DOMID"}, &why)) << why;
    for (unsigned int d = 100; d < 400; d++)
        xs.Put(Home(d) + "/dm/5", "");
    DomainMover m(xs, wide);
    Status e;
    QuiesceTicket none;
    e = m.Save(5, out, &none);
    EXPECT_FALSE(e.ok());
    EXPECT_TRUE(e.Is(StatusCode::kTooBig)) << e.ToString();
    EXPECT_TRUE(Contains(e.message(), "domain 5's node set has 301 subtrees")) << e.message();
    EXPECT_TRUE(Contains(e.message(), "more than one xenstore message holds (4096)"))
            << e.message();
    EXPECT_EQ(xs.count(F::kSaveDomain), 0u);
    EXPECT_FALSE(xs.quiesced(5));
}

TEST_F(Save, AFrontendNamingAnotherBackendIsAWarningNotARoot)
{
    xs.Put(Home(5) + "/device/vbd/1/backend", "/local/domain/0/backend/vbd/6/1",
           {{'n', 5}, {'r', 0}});
    QuiesceTicket t;
    Status e = SaveGuest(&t);
    ASSERT_TRUE(e.ok()) << e.message();
    ASSERT_EQ(mover.report().warnings.size(), 1u);
    EXPECT_TRUE(Contains(mover.report().warnings[0], "/local/domain/0/backend/vbd/6/1"))
            << mover.report().warnings[0];
    EXPECT_EQ(xs.saved_roots(), (std::vector<std::string>{VifBackend(5), Home(5)}));
}

TEST_F(Save, ResumeServesTheDomainAgainOrSaysWhyNot)
{
    Status e;
    Saved().Commit();
    EXPECT_TRUE((e = mover.Resume(5)).ok()) << e.message();
    EXPECT_FALSE(xs.quiesced(5));
    /* Not quiesced (any more): xenstored refuses. */
    EXPECT_FALSE((e = mover.Resume(5)).ok());
    EXPECT_EQ(e.message(), "xenstored refused \"unquiesce\": Invalid argument");
    Saved().Commit();
    xs.FailAt(F::kUnquiesce, 1, ETIMEDOUT, true);
    EXPECT_FALSE((e = mover.Resume(5)).ok());
    EXPECT_TRUE(e.Is(StatusCode::kXenstoredLost));
    EXPECT_EQ(e.sys_errno(), ETIMEDOUT);
    EXPECT_TRUE(xs.quiesced(5));
}

class Restore : public ::testing::Test {
protected:
    void SetUp() override { NewGuest(&xs, 7); }

    Status RestoreStream(const std::string &stream, bool embedded = false)
    {
        xsm::MemorySource src(stream);
        return mover.Restore(src, embedded, target);
    }

    FakeDomainStore xs;
    xsm::NodePolicy policy = xsm::NodePolicy::Default();
    DomainMover mover{xs, policy};
    xsm::RestoreTarget target{7, 5, 33, 0xfeff0};
};

TEST_F(Restore, OnlyTheGuestsOwnNodesReachXenstoredAsTheNewDomain)
{
    const std::string stream = StreamOf(GuestState(5));
    Status e;
    ASSERT_TRUE((e = RestoreStream(stream)).ok()) << e.message();
    ASSERT_EQ(xs.restored().size(), 1u);
    const auto &r = xs.restored()[0];
    EXPECT_EQ(r.request.domid, 7u);
    EXPECT_EQ(r.request.store_port, 33u);
    EXPECT_EQ(r.request.store_gfn, 0xfeff0u);
    EXPECT_FALSE(r.request.keep_quiesced);
    EXPECT_FALSE(r.request.trusted_stream);
    EXPECT_EQ(xs.requests().back(), "restore-domain 7 1044464 33");

    xsm::MemorySource src(r.state);
    xsm::DomainState applied;
    const xsm::Status read = xsm::ReadDomainState(src, xsm::ReaderOptions{}, &applied);
    ASSERT_TRUE(read.ok()) << read.ToString();
    EXPECT_EQ(applied.conn.domid, 7);
    std::vector<std::string> paths;
    for (const auto &n : applied.nodes)
        paths.push_back(n.path);
    /* dom0's nodes, the frontend and the backend area are this host's. */
    EXPECT_EQ(paths, (std::vector<std::string>{Home(7) + "/data", Home(7) + "/data/x"}));
    ASSERT_EQ(applied.watches.size(), 1u);
    EXPECT_EQ(applied.watches[0].path, Home(7) + "/data");
    EXPECT_EQ(mover.report().counts.nodes, 2u);
    EXPECT_EQ(mover.report().octets, stream.size());
}

TEST_F(Restore, ModeAndTrustGoToXenstoredWhichChecksThemAgain)
{
    DomainMover trusting(xs, policy, xsm::RestoreTrust{{9, 3}, true});
    target.keep_quiesced = true;
    const std::string stream = StreamOf(GuestState(5));
    xsm::MemorySource src(stream);
    Status e;
    ASSERT_TRUE((e = trusting.Restore(src, false, target)).ok()) << e.message();
    EXPECT_EQ(xs.requests().back(),
              "restore-domain 7 1044464 33 quiesced trusted trust=3 trust=9");
    EXPECT_TRUE(xs.quiesced(7));
}

TEST_F(Restore, AnEmbeddedStreamLeavesWhatFollowsItsEnd)
{
    const std::string stream = StreamOf(GuestState(5));
    Status e;
    EXPECT_TRUE((e = RestoreStream(stream + "libxl's next record", true)).ok()) << e.message();
    EXPECT_EQ(mover.report().octets, stream.size());
    FakeDomainStore other;
    NewGuest(&other, 7);
    DomainMover whole(other, policy);
    const std::string junk = stream + "junk";
    xsm::MemorySource src(junk);
    EXPECT_FALSE((e = whole.Restore(src, false, target)).ok());
    EXPECT_TRUE(e.Is(StatusCode::kBadStream) || e.Is(StatusCode::kBeyondDomain));
    EXPECT_TRUE(Contains(e.message(), "data after the END record")) << e.message();
    EXPECT_EQ(other.count(F::kRestoreDomain), 0u);
}

TEST_F(Restore, AMalformedStreamIsRefusedBeforeXenstoredSeesIt)
{
    Status e;
    std::string stream = StreamOf(GuestState(5));
    stream.resize(stream.size() - 9);
    EXPECT_FALSE((e = RestoreStream(stream)).ok());
    EXPECT_TRUE(e.Is(StatusCode::kBadStream)) << e.ToString();
    EXPECT_EQ(e.message().rfind("refused: ", 0), 0u) << e.message();
    EXPECT_EQ(xs.count(F::kRestoreDomain), 0u);
    EXPECT_EQ(xs.count(F::kGetPerms), 0u);
}

TEST_F(Restore, ANodeBeyondTheDomainIsRefusedAsSuch)
{
    xsm::DomainState s = GuestState(5);
    s.nodes[3].path = "/local/domain/0/data/x";
    Status e;
    EXPECT_FALSE((e = RestoreStream(StreamOf(s))).ok());
    EXPECT_TRUE(e.Is(StatusCode::kBeyondDomain)) << e.ToString();
    EXPECT_TRUE(Contains(e.message(), "record #")) << e.message();
    EXPECT_TRUE(xs.restored().empty());
}

TEST_F(Restore, ANodeOfAnotherOwnerOnThisHostIsNotTakenOver)
{
    xs.Put(Home(7) + "/data/x", "dom0's", {{'n', 0}});
    Status e;
    EXPECT_FALSE((e = RestoreStream(StreamOf(GuestState(5)))).ok());
    EXPECT_TRUE(e.Is(StatusCode::kBadStream) || e.Is(StatusCode::kBeyondDomain));
    EXPECT_TRUE(Contains(e.message(), "refused: ")) << e.message();
    EXPECT_TRUE(Contains(e.message(), "exists on this host owned by domain 0")) << e.message();
    EXPECT_TRUE(xs.restored().empty());
}

TEST_F(Restore, ADaemonWithoutRestoreDomainIsToldBeforeAnythingElse)
{
    xs.Remove("restore-domain");
    Status e;
    EXPECT_FALSE((e = RestoreStream(StreamOf(GuestState(5)))).ok());
    EXPECT_EQ(e.sys_errno(), ENOSYS);
    EXPECT_TRUE(xs.requests().empty());
}

TEST_F(Restore, XenstoredFailingAtAnyStepAppliesNothing)
{
    const std::string stream = StreamOf(GuestState(5));
    struct Step {
        const char *kind;
        int nth, err;
        bool lost;
    };
    for (const Step &s : {Step{F::kQuota, 1, ETIMEDOUT, true}, Step{F::kQuota, 1, EACCES, false},
                          Step{F::kGetPerms, 1, ETIMEDOUT, true},
                          Step{F::kGetPerms, 2, ECONNRESET, true},
                          Step{F::kRestoreDomain, 1, ETIMEDOUT, true},
                          Step{F::kRestoreDomain, 1, ENOSPC, false}}) {
        FakeDomainStore host;
        NewGuest(&host, 7);
        host.FailAt(s.kind, s.nth, s.err, s.lost);
        DomainMover m(host, policy);
        xsm::MemorySource src(stream);
        Status e;
        EXPECT_FALSE((e = m.Restore(src, false, target)).ok()) << s.kind;
        EXPECT_EQ(e.sys_errno(), s.err) << s.kind << ": " << e.message();
        EXPECT_EQ(e.Is(StatusCode::kXenstoredLost), s.lost) << s.kind;
        EXPECT_TRUE(e.IsXenstored()) << s.kind;
        EXPECT_TRUE(host.restored().empty()) << s.kind;
    }
}

TEST_F(Restore, XenstoredsOwnRuleRefusingMidWayNamesItsLog)
{
    xs.FailAt(F::kRestoreDomain, 1, EACCES);
    Status e;
    EXPECT_FALSE((e = RestoreStream(StreamOf(GuestState(5)))).ok());
    EXPECT_EQ(e.sys_errno(), EACCES);
    EXPECT_TRUE(e.IsXenstored());
    EXPECT_EQ(e.message(), "xenstored refused \"restore-domain\": Permission denied (a node "
                           "the domain could not have created itself; xenstored's log names "
                           "it)");
    EXPECT_TRUE(xs.restored().empty());
    EXPECT_FALSE(xs.quiesced(7));
}

TEST_F(Restore, ADomainIntroducedAlreadyIsEexist)
{
    const std::string stream = StreamOf(GuestState(5));
    Status e;
    ASSERT_TRUE((e = RestoreStream(stream)).ok()) << e.message();
    EXPECT_FALSE((e = RestoreStream(stream)).ok());
    EXPECT_EQ(e.sys_errno(), EEXIST);
    EXPECT_EQ(xs.restored().size(), 1u);
}

TEST_F(Restore, AScratchFileThatCannotBeWrittenIsThisHostsIoError)
{
    xs.FailFileWrites(ENOSPC);
    Status e;
    EXPECT_FALSE((e = RestoreStream(StreamOf(GuestState(5)))).ok());
    EXPECT_TRUE(e.Is(StatusCode::kIo));
    EXPECT_EQ(e.sys_errno(), ENOSPC);
    EXPECT_TRUE(Contains(e.message(), "cannot write the state for xenstored: ")) << e.message();
    EXPECT_EQ(xs.count(F::kRestoreDomain), 0u);
}

TEST_F(Restore, AStreamThatCannotBeReadIsTheCallersIoError)
{
    struct Broken : xsm::ByteSource {
        ssize_t Read(uint8_t *, size_t) override
        {
            errno = EIO;
            return -1;
        }
    } broken;
    Status e;
    EXPECT_FALSE((e = mover.Restore(broken, true, target)).ok());
    EXPECT_TRUE(e.Is(StatusCode::kIo));
    EXPECT_EQ(e.sys_errno(), EIO);
    EXPECT_EQ(e.message().rfind("cannot read the stream: ", 0), 0u) << e.message();
}

} // namespace
} // namespace xsm_test
