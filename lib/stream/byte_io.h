/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Where stream octets come from and go to: a file descriptor (a file, a
 * pipe, or libxl's migration stream, which we must not read past) or
 * memory.
 */
#ifndef XSM_STREAM_BYTE_IO_H
#define XSM_STREAM_BYTE_IO_H

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "stream/records.h"

namespace xsm {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    /* Like read(2): octets read, 0 at end, -1 with errno on error. */
    virtual ssize_t Read(uint8_t *buf, size_t n) = 0;
    /* All of the input, if it is already in memory (zero-copy reading). */
    virtual bool Whole(Bytes *all) const { (void)all; return false; }
};

class FdSource : public ByteSource {
public:
    explicit FdSource(int fd) : fd_(fd) {}
    ssize_t Read(uint8_t *buf, size_t n) override;

private:
    int fd_;
};

class MemorySource : public ByteSource {
public:
    explicit MemorySource(Bytes data) : data_(data) {}
    ssize_t Read(uint8_t *buf, size_t n) override;
    bool Whole(Bytes *all) const override { *all = data_; return true; }

private:
    Bytes data_;
    size_t pos_ = 0;
};

class ByteSink {
public:
    virtual ~ByteSink() = default;
    /* Writes all of it; false with errno on error. */
    virtual bool Write(Bytes data) = 0;
};

class FdSink : public ByteSink {
public:
    explicit FdSink(int fd) : fd_(fd) {}
    bool Write(Bytes data) override;

private:
    int fd_;
};

class StringSink : public ByteSink {
public:
    bool Write(Bytes data) override { out_.append(data); return true; }
    const std::string &str() const { return out_; }

private:
    std::string out_;
};

} // namespace xsm

#endif
