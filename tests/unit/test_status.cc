/* SPDX-License-Identifier: LGPL-2.1-only */
/* The one status type: what a failure is, its errno and its message. */
#include <gtest/gtest.h>

#include <cerrno>
#include <set>

#include "common/status.h"

using namespace xsm;

TEST(Status, DefaultIsOk)
{
    Status s;
    EXPECT_TRUE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kOk);
    EXPECT_EQ(s.sys_errno(), 0);
    EXPECT_EQ(s.ToString(), "ok");
}

TEST(Status, KeepsKindAndErrnoThroughContext)
{
    Status s = Status::XenstoredLost(ETIMEDOUT, "no reply in 5000 ms");
    s.Prefix("save-domain 7").Append("xenstored resumes domain 7");
    EXPECT_FALSE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kXenstoredLost);
    EXPECT_TRUE(s.IsXenstored());
    EXPECT_EQ(s.sys_errno(), ETIMEDOUT);
    EXPECT_EQ(s.message(), "save-domain 7: no reply in 5000 ms; xenstored resumes domain 7");
    EXPECT_EQ(s.ToString(), "xenstored-lost (errno " + std::to_string(ETIMEDOUT) +
                                    "): save-domain 7: no reply in 5000 ms; xenstored "
                                    "resumes domain 7");
}

TEST(Status, ContextOnSuccessChangesNothing)
{
    Status s = Status::Ok().Prefixed("restore");
    EXPECT_TRUE(s.ok());
    EXPECT_EQ(s.message(), "");
}

TEST(Status, OriginIsTheFirstLayerThatSetsIt)
{
    Status s = Status::BadStream("offset 16: record #0 (END): bad len");
    s.From(StatusOrigin::kStream).From(StatusOrigin::kEngine);
    EXPECT_EQ(s.origin(), StatusOrigin::kStream);
}

TEST(Status, EveryCodeHasItsOwnName)
{
    std::set<std::string_view> names;
    for (int i = 0; i < kStatusCodeCount; i++)
        names.insert(StatusCodeName(static_cast<StatusCode>(i)));
    EXPECT_EQ(names.size(), static_cast<size_t>(kStatusCodeCount));
    EXPECT_EQ(StatusCodeName(StatusCode::kIo), "io");
}

/* The edges' two tables, against xsmigrate.h and docs/xsmigrate.1. */
namespace xsm {
int ErrnoOf(const Status &s);
int ExitStatusOf(StatusCode code);
} // namespace xsm

TEST(StatusTables, ErrnoAsXsmigrateHDocumentsIt)
{
    EXPECT_EQ(ErrnoOf(Status()), 0);
    EXPECT_EQ(ErrnoOf(Status::BadStream("offset 8: header: unknown version 9")), EINVAL);
    EXPECT_EQ(ErrnoOf(Status::BeyondDomain("record #3 (NODE_DATA) at offset 96: /vm")), EPERM);
    EXPECT_EQ(ErrnoOf(Status::BadArgument("xsm_domain_resume: domain 0 is dom0")), EINVAL);
    EXPECT_EQ(ErrnoOf(Status::TooBig("save-domain would need 5000 octets")), E2BIG);
    /* The failed call's own errno; EIO when there is none. */
    EXPECT_EQ(ErrnoOf(Status::Io(EPIPE, "cannot write the stream")), EPIPE);
    EXPECT_EQ(ErrnoOf(Status::Io(0, "short write")), EIO);
    EXPECT_EQ(ErrnoOf(Status::CannotConvert("unknown record to big-endian")), ENOTSUP);
    /* xenstored's own answer passes through. */
    EXPECT_EQ(ErrnoOf(Status::XenstoredRefused(EEXIST, "restore-domain")), EEXIST);
    EXPECT_EQ(ErrnoOf(Status::XenstoredRefused(EBUSY, "quiesce")), EBUSY);
    EXPECT_EQ(ErrnoOf(Status::XenstoredRefused(0, "no errno")), EIO);
    EXPECT_EQ(ErrnoOf(Status::XenstoredLost(ETIMEDOUT, "no reply")), ETIMEDOUT);
    EXPECT_EQ(ErrnoOf(Status::XenstoredLacks(ENOTSOCK, "xenbus device")), ENOTSOCK);
    EXPECT_EQ(ErrnoOf(Status::XenstoredLacks(0, "no quiesce")), ENOSYS);
    EXPECT_EQ(ErrnoOf(Status::NoMemory("")), ENOMEM);
    EXPECT_EQ(ErrnoOf(Status::Internal("")), EIO);
}

TEST(StatusTables, ExitStatusAsTheManPageStatesIt)
{
    EXPECT_EQ(ExitStatusOf(StatusCode::kOk), 0);
    EXPECT_EQ(ExitStatusOf(StatusCode::kBadStream), 1);
    EXPECT_EQ(ExitStatusOf(StatusCode::kBeyondDomain), 1);
    EXPECT_EQ(ExitStatusOf(StatusCode::kBadArgument), 2);
    /* A file error is 3, never 5, whoever's file it is (the scratch file
     * for xenstored too: it was 5, "xenstored unreachable"). */
    EXPECT_EQ(ExitStatusOf(StatusCode::kIo), 3);
    EXPECT_EQ(ExitStatusOf(StatusCode::kCannotConvert), 4);
    EXPECT_EQ(ExitStatusOf(StatusCode::kXenstoredRefused), 5);
    EXPECT_EQ(ExitStatusOf(StatusCode::kXenstoredLost), 5);
    EXPECT_EQ(ExitStatusOf(StatusCode::kXenstoredLacks), 5);
    EXPECT_EQ(ExitStatusOf(StatusCode::kTooBig), 5);
}
