/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of stream/byte_io.h, which says what it is. */
#include "stream/byte_io.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace xsm {

ssize_t FdSource::Read(uint8_t *buf, size_t n)
{
    for (;;) {
        ssize_t r = ::read(fd_, buf, n);
        if (r >= 0 || errno != EINTR)
            return r;
    }
}

ssize_t MemorySource::Read(uint8_t *buf, size_t n)
{
    size_t left = data_.size() - pos_;
    if (n > left)
        n = left;
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return static_cast<ssize_t>(n);
}

bool FdSink::Write(Bytes data)
{
    while (!data.empty()) {
        ssize_t r = ::write(fd_, data.data(), data.size());
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data.remove_prefix(static_cast<size_t>(r));
    }
    return true;
}

} // namespace xsm
