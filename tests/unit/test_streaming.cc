/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Reading from file descriptors: pipes deliver a record in pieces, an
 * embedded stream must leave what follows END unread, and a lying len
 * must not cost memory that never arrives.
 */
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "parse_helpers.h"
#include "spec_vectors.h"

using namespace xsm;
using namespace xsm_test;

namespace {

/* Hands out one octet per read, like the slowest pipe. */
class OneOctetSource : public ByteSource {
public:
    explicit OneOctetSource(const std::string &s) : s_(s) {}
    ssize_t Read(uint8_t *buf, size_t n) override
    {
        if (pos_ == s_.size() || n == 0)
            return 0;
        reads_++;
        *buf = static_cast<uint8_t>(s_[pos_++]);
        return 1;
    }
    size_t pos() const { return pos_; }

private:
    std::string s_;
    size_t pos_ = 0;
    size_t reads_ = 0;
};

TEST(Streaming, OneOctetAtATimeGivesTheSameRecords)
{
    std::string s = FullStreamV2(true);
    OneOctetSource src(s);
    StreamSummary streamed, whole;
    Status st = VerifyStream(src, ReaderOptions{}, &streamed);
    ASSERT_TRUE(st.ok()) << st.ToString();
    MemorySource mem(s);
    ASSERT_TRUE(VerifyStream(mem, ReaderOptions{}, &whole).ok());
    EXPECT_EQ(streamed.records, whole.records);
    EXPECT_EQ(streamed.octets, s.size());
}

TEST(Streaming, EmbeddedStreamStopsExactlyAfterEnd)
{
    std::string s = FullStreamV1(false);
    std::string trailer = "libxl's next record";
    OneOctetSource src(s + trailer);
    ReaderOptions ro;
    ro.embedded = true;
    StreamSummary sum;
    Status st = VerifyStream(src, ro, &sum);
    ASSERT_TRUE(st.ok()) << st.ToString();
    EXPECT_EQ(src.pos(), s.size()); /* not one octet of the trailer consumed */
}

TEST(Streaming, EmbeddedStreamThroughAPipeLeavesTheRestOnTheFd)
{
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    std::string s = FullStreamV2(false) + "TAIL";
    std::thread writer([&] {
        for (size_t i = 0; i < s.size(); i += 7)
            ASSERT_EQ(write(fds[1], s.data() + i, std::min<size_t>(7, s.size() - i)),
                      ssize_t(std::min<size_t>(7, s.size() - i)));
        close(fds[1]);
    });
    FdSource src(fds[0]);
    ReaderOptions ro;
    ro.embedded = true;
    StreamSummary sum;
    Status st = VerifyStream(src, ro, &sum);
    EXPECT_TRUE(st.ok()) << st.ToString();
    writer.join();
    char tail[8] = {};
    EXPECT_EQ(read(fds[0], tail, sizeof(tail)), 4);
    EXPECT_STREQ(tail, "TAIL");
    close(fds[0]);
}

/* Counts what the reader asks for, and delivers only a few octets. */
class LyingSource : public ByteSource {
public:
    explicit LyingSource(std::string s) : s_(std::move(s)) {}
    ssize_t Read(uint8_t *buf, size_t n) override
    {
        max_request_ = std::max(max_request_, n);
        size_t k = std::min(n, s_.size() - pos_);
        std::memcpy(buf, s_.data() + pos_, k);
        pos_ += k;
        return static_cast<ssize_t>(k);
    }
    size_t max_request_ = 0;

private:
    std::string s_;
    size_t pos_ = 0;
};

TEST(Streaming, HugeLenCostsOnlyWhatArrives)
{
    /* len says 60 MiB, 8 octets follow. */
    std::string s = Header(1, false) + Octets(false).u32(5).u32(60u << 20).u64(0).str();
    LyingSource src(s);
    StreamSummary sum;
    Status st = VerifyStream(src, ReaderOptions{}, &sum);
    EXPECT_EQ(st.code(), StatusCode::kBadStream);
    EXPECT_NE(st.message().find("runs past the end"), std::string::npos) << st.message();
    /* The buffer never grew beyond its first chunk's double. */
    EXPECT_LE(src.max_request_, 2u << 20);
}

TEST(Streaming, ReadErrorIsAnIoErrorNotAnInvalidStream)
{
    FdSource src(-1);
    StreamSummary sum;
    Status st = VerifyStream(src, ReaderOptions{}, &sum);
    EXPECT_EQ(st.code(), StatusCode::kIo);
    /* "EIO: it could not be read" (xsmigrate.h); the cause in words. */
    EXPECT_EQ(st.sys_errno(), EIO);
    EXPECT_NE(st.message().find("Bad file descriptor"), std::string::npos) << st.message();
}

TEST(Streaming, WriterToFdProducesTheSameOctets)
{
    std::string s = FullStreamV2(false);
    char path[] = "/tmp/xsm-test-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    unlink(path);
    MemorySource src(s);
    FdSink sink(fd);
    Status st = ConvertStream(src, sink, SameFormat());
    ASSERT_TRUE(st.ok()) << st.ToString();
    std::string back(s.size() + 1, '\0');
    ASSERT_EQ(pread(fd, &back[0], back.size(), 0), ssize_t(s.size()));
    back.resize(s.size());
    EXPECT_EQ(back, s);
    close(fd);
}

} // namespace
