/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of output_file.h, which says what it is. */
#include "output_file.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace xsm {

namespace {
/* "PATH: what: strerror(errno)", this host's file. */
Status Failed(const std::string &path, const std::string &what)
{
    const int err = errno;
    return Status::Io(err, path + ": " + what + ": " + std::strerror(err));
}
} // namespace

OutputFile::~OutputFile()
{
    if (fd_ >= 0 && path_ != "-")
        close(fd_);
    if (!tmp_.empty())
        unlink(tmp_.c_str());
}

Status OutputFile::Open(const std::string &path)
{
    path_ = path;
    if (path == "-") {
        fd_ = 1;
        return Status::Ok();
    }
    struct stat st;
    if (lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
        if (fd_ < 0)
            return Failed(path, "cannot open");
        return Status::Ok();
    }
    tmp_ = path + ".XXXXXX";
    fd_ = mkostemp(&tmp_[0], O_CLOEXEC);
    if (fd_ < 0) {
        Status failed = Failed(tmp_, "cannot create");
        tmp_.clear();
        return failed;
    }
    return Status::Ok();
}

Status OutputFile::Commit()
{
    if (path_ == "-")
        return Status::Ok();
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
        return Failed(path_, "cannot write");
    }
    if (tmp_.empty())
        return Status::Ok();
    if (rename(tmp_.c_str(), path_.c_str()) < 0)
        return Failed(path_, "cannot rename " + tmp_ + " to it");
    tmp_.clear();
    return Status::Ok();
}

} // namespace xsm
