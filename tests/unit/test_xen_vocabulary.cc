/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * lib/xen: the words every room shares for Xen's things (domids, homes,
 * timeouts, which xenstored), and the format's record type names.
 */
#include <gtest/gtest.h>

#include <cstdlib>

#include "stream/format.h"
#include "xen/domid.h"
#include "xen/home_path.h"
#include "xen/timeout.h"
#include "xen/xenstored_path.h"

using namespace xsm;

TEST(Domid, ParsesOnlyWhatLibxlWrites)
{
    unsigned int d = 99;
    EXPECT_TRUE(ParseDomid("0", &d));
    EXPECT_EQ(d, 0u);
    EXPECT_TRUE(ParseDomid("32751", &d));
    EXPECT_EQ(d, 32751u);
    d = 99;
    for (const char *bad : {"32752", "32756", "07", "", "1a", "123456", " 1", "+1", "0x1", "-1",
                            "1 "}) {
        EXPECT_FALSE(ParseDomid(bad, &d)) << '"' << bad << '"';
        EXPECT_EQ(d, 99u) << "left alone on failure: " << bad;
    }
}

TEST(Domid, GuestIsNeitherDom0NorReserved)
{
    EXPECT_TRUE(CheckGuestDomid(1, "save").ok());
    EXPECT_TRUE(CheckGuestDomid(kDomidFirstReserved - 1, "save").ok());
    Status dom0 = CheckGuestDomid(0, "xsm_domain_resume");
    EXPECT_EQ(dom0.code(), StatusCode::kBadArgument);
    EXPECT_EQ(dom0.message(),
              "xsm_domain_resume: domain 0 is dom0, whose ring is the toolstack's own");
    Status reserved = CheckGuestDomid(kDomidFirstReserved, "save");
    EXPECT_EQ(reserved.code(), StatusCode::kBadArgument);
    EXPECT_EQ(reserved.message(), "save: domain 32752 is a reserved id, no domain");
    EXPECT_FALSE(CheckGuestDomid(0x100000000ul - 1, "save").ok());
}

TEST(HomePath, IsLocalDomainN)
{
    EXPECT_EQ(HomePath(0), "/local/domain/0");
    EXPECT_EQ(HomePath(17), "/local/domain/17");
}

TEST(Timeout, SecondsToMilliseconds)
{
    int ms = -1;
    EXPECT_TRUE(ParseTimeoutSeconds("5", &ms));
    EXPECT_EQ(ms, 5000);
    EXPECT_TRUE(ParseTimeoutSeconds("0.25", &ms));
    EXPECT_EQ(ms, 250);
    EXPECT_TRUE(ParseTimeoutSeconds("0.0001", &ms));
    EXPECT_EQ(ms, 1); /* never 0: that would not wait at all */
    ms = -1;
    for (const char *bad : {"", "0", "-1", "1s", "86401", "nan", "inf"}) {
        EXPECT_FALSE(ParseTimeoutSeconds(bad, &ms)) << bad;
        EXPECT_EQ(ms, -1) << bad;
    }
    EXPECT_FALSE(ParseTimeoutSeconds(nullptr, &ms));
}

TEST(Timeout, DefaultFromTheEnvironment)
{
    ASSERT_EQ(setenv("XSM_XENSTORED_TIMEOUT", "1.5", 1), 0);
    EXPECT_EQ(DefaultXenstoredTimeoutMs(), 1500);
    ASSERT_EQ(setenv("XSM_XENSTORED_TIMEOUT", "soon", 1), 0);
    EXPECT_EQ(DefaultXenstoredTimeoutMs(), kDefaultXenstoredTimeoutMs);
    ASSERT_EQ(unsetenv("XSM_XENSTORED_TIMEOUT"), 0);
    EXPECT_EQ(DefaultXenstoredTimeoutMs(), 5000);
}

TEST(XenstoredPath, UnsetIsNotEmpty)
{
    const char *saved = std::getenv("XENSTORED_PATH");
    const std::string keep = saved ? saved : "";
    ASSERT_EQ(unsetenv("XENSTORED_PATH"), 0);
    EXPECT_FALSE(XenstoredPathFromEnv().has_value());
    ASSERT_EQ(setenv("XENSTORED_PATH", "", 1), 0);
    ASSERT_TRUE(XenstoredPathFromEnv().has_value());
    EXPECT_EQ(*XenstoredPathFromEnv(), "");
    ASSERT_EQ(setenv("XENSTORED_PATH", "/run/xs.sock", 1), 0);
    EXPECT_EQ(XenstoredPathFromEnv().value_or("?"), "/run/xs.sock");
    if (saved)
        setenv("XENSTORED_PATH", keep.c_str(), 1);
    else
        unsetenv("XENSTORED_PATH");
}

TEST(RecordType, NamesComeFromTheEnum)
{
    EXPECT_EQ(RecordTypeName(static_cast<uint32_t>(RecordType::NodeData)), "NODE_DATA");
    EXPECT_EQ(RecordTypeName(static_cast<uint32_t>(RecordType::WatchDataExtended)),
              "WATCH_DATA_EXTENDED");
    for (uint32_t t = 0; t <= kLastKnownType; t++) {
        EXPECT_TRUE(IsKnownRecordType(t));
        EXPECT_NE(RecordTypeName(t), "UNKNOWN") << t;
    }
    EXPECT_FALSE(IsKnownRecordType(kLastKnownType + 1));
    EXPECT_FALSE(IsKnownRecordType(0xffffffffu));
}

TEST(Domid, TextWithoutAllocation)
{
    EXPECT_EQ(DomidText(0).view(), "0");
    EXPECT_EQ(DomidText(7).view(), "7");
    EXPECT_EQ(DomidText(32751).view(), "32751");
    EXPECT_EQ(DomidText(4294967295u).view(), "4294967295");
    EXPECT_EQ(std::string(kHomesPrefix) + "12", HomePath(12));
}
