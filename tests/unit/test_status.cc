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
