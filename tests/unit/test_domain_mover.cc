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
using xsm::XsError;
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

    QuiesceTicket SaveGuest(XsError *e, unsigned int domid = 5)
    {
        return mover.Save(domid, out, e);
    }

    FakeDomainStore xs;
    xsm::NodePolicy policy = xsm::NodePolicy::Default();
    DomainMover mover{xs, policy};
    xsm::StringSink out;
};

TEST_F(Save, WritesWhatXenstoredSavedAndKeepsTheDomainQuiesced)
{
    XsError e;
    QuiesceTicket t = SaveGuest(&e);
    ASSERT_TRUE(t) << e.why;
    EXPECT_EQ(out.str(), StreamOf(GuestState(5)));
    EXPECT_TRUE(Sent(xs, "quiesce 5 owned"));
    /* Its home and its own device's backend directory, in one request. */
    EXPECT_EQ(xs.saved_roots(), (std::vector<std::string>{VifBackend(5), Home(5)}));
    EXPECT_EQ(mover.roots(), xs.saved_roots());
    EXPECT_EQ(mover.counts().nodes, 6u);
    EXPECT_EQ(mover.counts().watches, 1u);
    EXPECT_EQ(mover.octets(), out.str().size());
    t.Commit();
    t = QuiesceTicket();
    /* Handed on: the ring is the receiving side's. */
    EXPECT_TRUE(xs.quiesced(5));
    EXPECT_EQ(xs.count(F::kUnquiesce), 0u);
}

TEST_F(Save, ADroppedTicketResumesTheDomain)
{
    XsError e;
    {
        QuiesceTicket t = SaveGuest(&e);
        ASSERT_TRUE(t) << e.why;
        EXPECT_TRUE(xs.quiesced(5));
    }
    EXPECT_FALSE(xs.quiesced(5));
    EXPECT_EQ(xs.requests().back(), "unquiesce 5");
}

TEST_F(Save, ATicketResumesOnceWhereverItIsMoved)
{
    XsError e;
    QuiesceTicket a = SaveGuest(&e);
    ASSERT_TRUE(a);
    QuiesceTicket b(std::move(a));
    EXPECT_FALSE(a.held());
    EXPECT_EQ(b.domid(), 5u);
    RunningGuest(&xs, 6);
    QuiesceTicket c = SaveGuest(&e, 6);
    ASSERT_TRUE(c);
    c = std::move(b); /* 6 is dropped: resumed; 5 is held by c */
    EXPECT_FALSE(xs.quiesced(6));
    EXPECT_TRUE(xs.quiesced(5));
    XsError r;
    EXPECT_TRUE(c.Resume(&r)) << r.why;
    EXPECT_FALSE(c.held());
    EXPECT_TRUE(c.Resume(&r)); /* nothing left to resume */
    EXPECT_EQ(xs.count(F::kUnquiesce), 2u);
}

TEST_F(Save, ADroppedTicketWhoseResumeFailsIsQuiet)
{
    XsError e;
    {
        QuiesceTicket t = SaveGuest(&e);
        ASSERT_TRUE(t);
        xs.FailAt(F::kUnquiesce, 1, ETIMEDOUT, true);
    }
    /* xenstored resumes it itself once it reads the closed connection. */
    EXPECT_EQ(xs.count(F::kUnquiesce), 1u);
}

TEST_F(Save, ADomainQuiescedAlreadyBelongsToTheOtherSave)
{
    XsError e;
    QuiesceTicket first = SaveGuest(&e);
    ASSERT_TRUE(first);
    first.Commit();
    QuiesceTicket second = SaveGuest(&e);
    EXPECT_FALSE(second);
    EXPECT_EQ(e.err, EBUSY);
    EXPECT_TRUE(Contains(e.why, "domain 5 is quiesced already (another save holds it): "
                                "xenstored refused \"quiesce\""))
            << e.why;
    EXPECT_TRUE(xs.quiesced(5)); /* not ours to undo */
    EXPECT_EQ(xs.count(F::kUnquiesce), 0u);
}

TEST_F(Save, AQuiesceRefusedOrTimedOutChangesNothing)
{
    xs.FailAt(F::kQuiesce, 1, EACCES);
    XsError e;
    EXPECT_FALSE(SaveGuest(&e));
    EXPECT_EQ(e.err, EACCES);
    EXPECT_FALSE(e.lost);
    EXPECT_EQ(e.why, "xenstored refused \"quiesce\": Permission denied");

    xs.FailAt(F::kQuiesce, 1, ETIMEDOUT, true);
    EXPECT_FALSE(SaveGuest(&e));
    EXPECT_EQ(e.err, ETIMEDOUT);
    EXPECT_TRUE(e.lost);
    EXPECT_EQ(xs.count(F::kUnquiesce), 0u);
    EXPECT_EQ(xs.count(F::kSaveDomain), 0u);
    EXPECT_TRUE(out.str().empty());
}

TEST_F(Save, AFailedSaveDomainResumesTheDomain)
{
    xs.FailAt(F::kSaveDomain, 1, EIO);
    XsError e;
    EXPECT_FALSE(SaveGuest(&e));
    EXPECT_EQ(e.err, EIO);
    EXPECT_EQ(e.why, "xenstored refused \"save-domain\": Input/output error");
    EXPECT_FALSE(xs.quiesced(5));
    EXPECT_EQ(xs.requests().back(), "unquiesce 5");
    EXPECT_TRUE(out.str().empty());
}

TEST_F(Save, AResumeThatFailsTooIsReportedAfterTheFirstError)
{
    xs.FailAt(F::kSaveDomain, 1, EIO);
    xs.FailAt(F::kUnquiesce, 1, EINVAL);
    XsError e;
    EXPECT_FALSE(SaveGuest(&e));
    EXPECT_EQ(e.err, EIO);
    EXPECT_EQ(e.why, "xenstored refused \"save-domain\": Input/output error; and domain 5 "
                     "could not be resumed: xenstored refused \"unquiesce\": Invalid argument");
}

TEST_F(Save, ALostConnectionLeavesTheResumeToXenstored)
{
    /* Another request would wait as long: the closed connection resumes it. */
    xs.FailAt(F::kSaveDomain, 1, ETIMEDOUT, true);
    XsError e;
    EXPECT_FALSE(SaveGuest(&e));
    EXPECT_TRUE(e.lost);
    EXPECT_TRUE(Contains(e.why, "; xenstored resumes domain 5 when it reads the closed "
                                "connection"))
            << e.why;
    EXPECT_EQ(xs.count(F::kUnquiesce), 0u);

    /* A broken connection, no timeout: said as it is. */
    FakeDomainStore other;
    RunningGuest(&other, 5);
    other.FailAt(F::kDirectory, 1, ECONNRESET, true);
    DomainMover m(other, policy);
    EXPECT_FALSE(m.Save(5, out, &e));
    EXPECT_EQ(e.err, ECONNRESET);
    EXPECT_FALSE(Contains(e.why, "closed connection")) << e.why;
    EXPECT_EQ(other.count(F::kUnquiesce), 0u);
}

TEST_F(Save, FindingTheNodeSetFailsAndResumes)
{
    xs.FailAt(F::kRead, 1, EACCES);
    XsError e;
    EXPECT_FALSE(SaveGuest(&e));
    EXPECT_EQ(e.err, EACCES);
    EXPECT_FALSE(xs.quiesced(5));
    EXPECT_EQ(xs.count(F::kSaveDomain), 0u);
}

TEST_F(Save, WhatXenstoredWroteIsCheckedBeforeItLeaves)
{
    XsError e;
    xs.SetSavedOctets(5, "");
    EXPECT_FALSE(SaveGuest(&e));
    EXPECT_EQ(e.err, EPROTO);
    EXPECT_EQ(e.why, "xenstored wrote no state for domain 5");
    EXPECT_FALSE(xs.quiesced(5));

    xs.SetSavedState(5, GuestState(6));
    EXPECT_FALSE(SaveGuest(&e));
    EXPECT_EQ(e.why, "xenstored's saved state for domain 5 is not usable: it is domain 6's");

    xs.SetSavedOctets(5, "not a stream at all");
    EXPECT_FALSE(SaveGuest(&e));
    EXPECT_TRUE(Contains(e.why, "xenstored's saved state for domain 5 is not usable: "))
            << e.why;
    EXPECT_FALSE(xs.quiesced(5));
    EXPECT_TRUE(out.str().empty());
}

TEST_F(Save, AStreamThatCannotBeWrittenResumesTheDomain)
{
    FullDevice full;
    XsError e;
    EXPECT_FALSE(mover.Save(5, full, &e));
    EXPECT_TRUE(e.io);
    EXPECT_EQ(e.err, ENOSPC);
    EXPECT_EQ(e.why, "cannot write the stream: No space left on device");
    EXPECT_FALSE(xs.quiesced(5));
}

TEST_F(Save, Dom0AndReservedIdsAreNoDomainsToSave)
{
    XsError e;
    for (unsigned int d : {0u, 0x7ff0u, 0xffffu}) {
        EXPECT_FALSE(SaveGuest(&e, d));
        EXPECT_TRUE(e.refused);
        EXPECT_EQ(e.err, EINVAL);
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
    XsError e;
    EXPECT_FALSE(m.Save(5, out, &e));
    EXPECT_EQ(e.err, E2BIG);
    EXPECT_TRUE(Contains(e.why, "domain 5's node set has 301 subtrees")) << e.why;
    EXPECT_TRUE(Contains(e.why, "more than one xenstore message holds (4096)")) << e.why;
    EXPECT_EQ(xs.count(F::kSaveDomain), 0u);
    EXPECT_FALSE(xs.quiesced(5));
}

TEST_F(Save, AFrontendNamingAnotherBackendIsAWarningNotARoot)
{
    xs.Put(Home(5) + "/device/vbd/1/backend", "/local/domain/0/backend/vbd/6/1",
           {{'n', 5}, {'r', 0}});
    XsError e;
    QuiesceTicket t = SaveGuest(&e);
    ASSERT_TRUE(t) << e.why;
    ASSERT_EQ(mover.warnings().size(), 1u);
    EXPECT_TRUE(Contains(mover.warnings()[0], "/local/domain/0/backend/vbd/6/1"))
            << mover.warnings()[0];
    EXPECT_EQ(xs.saved_roots(), (std::vector<std::string>{VifBackend(5), Home(5)}));
}

TEST_F(Save, ResumeServesTheDomainAgainOrSaysWhyNot)
{
    XsError e;
    SaveGuest(&e).Commit();
    EXPECT_TRUE(mover.Resume(5, &e)) << e.why;
    EXPECT_FALSE(xs.quiesced(5));
    /* Not quiesced (any more): xenstored refuses. */
    EXPECT_FALSE(mover.Resume(5, &e));
    EXPECT_EQ(e.why, "xenstored refused \"unquiesce\": Invalid argument");
    SaveGuest(&e).Commit();
    xs.FailAt(F::kUnquiesce, 1, ETIMEDOUT, true);
    EXPECT_FALSE(mover.Resume(5, &e));
    EXPECT_TRUE(e.lost);
    EXPECT_EQ(e.err, ETIMEDOUT);
    EXPECT_TRUE(xs.quiesced(5));
}

class Restore : public ::testing::Test {
protected:
    void SetUp() override { NewGuest(&xs, 7); }

    bool RestoreStream(const std::string &stream, XsError *e, bool embedded = false)
    {
        xsm::MemorySource src(stream);
        return mover.Restore(src, embedded, target, e);
    }

    FakeDomainStore xs;
    xsm::NodePolicy policy = xsm::NodePolicy::Default();
    DomainMover mover{xs, policy};
    xsm::RestoreTarget target{7, 5, 33, 0xfeff0};
};

TEST_F(Restore, OnlyTheGuestsOwnNodesReachXenstoredAsTheNewDomain)
{
    const std::string stream = StreamOf(GuestState(5));
    XsError e;
    ASSERT_TRUE(RestoreStream(stream, &e)) << e.why;
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
    std::string why;
    ASSERT_TRUE(xsm::ReadDomainState(src, xsm::ReaderOptions{}, &applied, &why)) << why;
    EXPECT_EQ(applied.conn.domid, 7);
    std::vector<std::string> paths;
    for (const auto &n : applied.nodes)
        paths.push_back(n.path);
    /* dom0's nodes, the frontend and the backend area are this host's. */
    EXPECT_EQ(paths, (std::vector<std::string>{Home(7) + "/data", Home(7) + "/data/x"}));
    ASSERT_EQ(applied.watches.size(), 1u);
    EXPECT_EQ(applied.watches[0].path, Home(7) + "/data");
    EXPECT_EQ(mover.counts().nodes, 2u);
    EXPECT_EQ(mover.octets(), stream.size());
}

TEST_F(Restore, ModeAndTrustGoToXenstoredWhichChecksThemAgain)
{
    DomainMover trusting(xs, policy, xsm::RestoreTrust{{9, 3}, true});
    target.keep_quiesced = true;
    const std::string stream = StreamOf(GuestState(5));
    xsm::MemorySource src(stream);
    XsError e;
    ASSERT_TRUE(trusting.Restore(src, false, target, &e)) << e.why;
    EXPECT_EQ(xs.requests().back(),
              "restore-domain 7 1044464 33 quiesced trusted trust=3 trust=9");
    EXPECT_TRUE(xs.quiesced(7));
}

TEST_F(Restore, AnEmbeddedStreamLeavesWhatFollowsItsEnd)
{
    const std::string stream = StreamOf(GuestState(5));
    XsError e;
    EXPECT_TRUE(RestoreStream(stream + "libxl's next record", &e, true)) << e.why;
    EXPECT_EQ(mover.octets(), stream.size());
    FakeDomainStore other;
    NewGuest(&other, 7);
    DomainMover whole(other, policy);
    const std::string junk = stream + "junk";
    xsm::MemorySource src(junk);
    EXPECT_FALSE(whole.Restore(src, false, target, &e));
    EXPECT_TRUE(e.refused);
    EXPECT_TRUE(Contains(e.why, "data after the END record")) << e.why;
    EXPECT_EQ(other.count(F::kRestoreDomain), 0u);
}

TEST_F(Restore, AMalformedStreamIsRefusedBeforeXenstoredSeesIt)
{
    XsError e;
    std::string stream = StreamOf(GuestState(5));
    stream.resize(stream.size() - 9);
    EXPECT_FALSE(RestoreStream(stream, &e));
    EXPECT_TRUE(e.refused);
    EXPECT_EQ(e.err, EINVAL);
    EXPECT_EQ(e.why.rfind("refused: ", 0), 0u) << e.why;
    EXPECT_EQ(xs.count(F::kRestoreDomain), 0u);
    EXPECT_EQ(xs.count(F::kGetPerms), 0u);
}

TEST_F(Restore, ANodeBeyondTheDomainIsEperm)
{
    xsm::DomainState s = GuestState(5);
    s.nodes[3].path = "/local/domain/0/data/x";
    XsError e;
    EXPECT_FALSE(RestoreStream(StreamOf(s), &e));
    EXPECT_TRUE(e.refused);
    EXPECT_EQ(e.err, EPERM);
    EXPECT_TRUE(Contains(e.why, "record #")) << e.why;
    EXPECT_TRUE(xs.restored().empty());
}

TEST_F(Restore, ANodeOfAnotherOwnerOnThisHostIsNotTakenOver)
{
    xs.Put(Home(7) + "/data/x", "dom0's", {{'n', 0}});
    XsError e;
    EXPECT_FALSE(RestoreStream(StreamOf(GuestState(5)), &e));
    EXPECT_TRUE(e.refused);
    EXPECT_TRUE(Contains(e.why, "refused: ")) << e.why;
    EXPECT_TRUE(Contains(e.why, "exists on this host owned by domain 0")) << e.why;
    EXPECT_TRUE(xs.restored().empty());
}

TEST_F(Restore, ADaemonWithoutRestoreDomainIsToldBeforeAnythingElse)
{
    xs.Remove("restore-domain");
    XsError e;
    EXPECT_FALSE(RestoreStream(StreamOf(GuestState(5)), &e));
    EXPECT_EQ(e.err, ENOSYS);
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
        XsError e;
        EXPECT_FALSE(m.Restore(src, false, target, &e)) << s.kind;
        EXPECT_EQ(e.err, s.err) << s.kind << ": " << e.why;
        EXPECT_EQ(e.lost, s.lost) << s.kind;
        EXPECT_FALSE(e.refused) << s.kind;
        EXPECT_TRUE(host.restored().empty()) << s.kind;
    }
}

TEST_F(Restore, XenstoredsOwnRuleRefusingMidWayNamesItsLog)
{
    xs.FailAt(F::kRestoreDomain, 1, EACCES);
    XsError e;
    EXPECT_FALSE(RestoreStream(StreamOf(GuestState(5)), &e));
    EXPECT_EQ(e.err, EACCES);
    EXPECT_FALSE(e.refused);
    EXPECT_EQ(e.why, "xenstored refused \"restore-domain\": Permission denied (a node the "
                     "domain could not have created itself; xenstored's log names it)");
    EXPECT_TRUE(xs.restored().empty());
    EXPECT_FALSE(xs.quiesced(7));
}

TEST_F(Restore, ADomainIntroducedAlreadyIsEexist)
{
    const std::string stream = StreamOf(GuestState(5));
    XsError e;
    ASSERT_TRUE(RestoreStream(stream, &e)) << e.why;
    EXPECT_FALSE(RestoreStream(stream, &e));
    EXPECT_EQ(e.err, EEXIST);
    EXPECT_EQ(xs.restored().size(), 1u);
}

TEST_F(Restore, AScratchFileThatCannotBeWrittenIsThisHostsIoError)
{
    xs.FailFileWrites(ENOSPC);
    XsError e;
    EXPECT_FALSE(RestoreStream(StreamOf(GuestState(5)), &e));
    EXPECT_TRUE(e.io);
    EXPECT_EQ(e.err, ENOSPC);
    EXPECT_TRUE(Contains(e.why, "cannot write the state for xenstored: ")) << e.why;
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
    XsError e;
    EXPECT_FALSE(mover.Restore(broken, true, target, &e));
    EXPECT_TRUE(e.io);
    EXPECT_EQ(e.err, EIO);
    EXPECT_EQ(e.why.rfind("cannot read the stream: ", 0), 0u) << e.why;
}

} // namespace
} // namespace xsm_test
