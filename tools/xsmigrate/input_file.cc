/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of input_file.h, which says what it is. */
#include "input_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace xsm {

InputFile::~InputFile()
{
    source_.reset();
    if (map_)
        munmap(map_, map_len_);
    if (fd_ > 0)
        close(fd_);
}

Status InputFile::Open(const std::string &path)
{
    if (path == "-") {
        fd_ = 0;
    } else {
        fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) {
            const int err = errno;
            return Status::Io(err, path + ": cannot open: " + std::strerror(err));
        }
    }
    struct stat st;
    if (fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        void *m = mmap(nullptr, st.st_size, PROT_READ, MAP_PRIVATE, fd_, 0);
        if (m != MAP_FAILED) {
            map_ = m;
            map_len_ = st.st_size;
            source_ = std::make_unique<MemorySource>(
                    Bytes(static_cast<const char *>(m), map_len_));
            return Status::Ok();
        }
    } else if (fstat(fd_, &st) == 0 && S_ISDIR(st.st_mode)) {
        return Status::Io(EISDIR, path + ": cannot read: " + std::strerror(EISDIR));
    }
    source_ = std::make_unique<FdSource>(fd_);
    return Status::Ok();
}

} // namespace xsm
