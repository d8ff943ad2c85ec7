/* SPDX-License-Identifier: LGPL-2.1-only */
#include "output_file.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace xsm {

namespace {
std::string Why(const std::string &path, const char *what)
{
    return path + ": " + what + ": " + std::strerror(errno);
}
} // namespace

OutputFile::~OutputFile()
{
    if (fd_ >= 0 && path_ != "-")
        close(fd_);
    if (!tmp_.empty())
        unlink(tmp_.c_str());
}

bool OutputFile::Open(const std::string &path, std::string *why)
{
    path_ = path;
    if (path == "-") {
        fd_ = 1;
        return true;
    }
    struct stat st;
    if (lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd_ < 0) {
            *why = Why(path, "cannot open");
            return false;
        }
        return true;
    }
    tmp_ = path + ".XXXXXX";
    fd_ = mkostemp(&tmp_[0], O_CLOEXEC);
    if (fd_ < 0) {
        *why = Why(tmp_, "cannot create");
        tmp_.clear();
        return false;
    }
    return true;
}

bool OutputFile::Commit(std::string *why)
{
    if (path_ == "-")
        return true;
    struct stat st;
    bool regular = fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
    /* A device or FIFO may not sync; its close still reports errors. */
    int rc = regular ? fsync(fd_) : 0;
    int err = errno;
    if (close(fd_) < 0 && rc == 0) {
        rc = -1;
        err = errno;
    }
    fd_ = -1;
    if (rc < 0) {
        errno = err;
        *why = Why(path_, "cannot write");
        return false;
    }
    if (tmp_.empty())
        return true;
    if (rename(tmp_.c_str(), path_.c_str()) < 0) {
        *why = Why(path_, ("cannot rename " + tmp_ + " to it").c_str());
        return false;
    }
    tmp_.clear();
    return true;
}

} // namespace xsm
