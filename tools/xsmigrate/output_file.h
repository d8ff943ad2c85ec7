/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A command-line output: a file written through a temporary file renamed
 * into place, so that a failure never leaves half a stream behind; or
 * standard output for "-".
 */
#ifndef XSM_TOOLS_OUTPUT_FILE_H
#define XSM_TOOLS_OUTPUT_FILE_H

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace xsm {

class OutputFile {
public:
    ~OutputFile()
    {
        if (fd_ >= 0 && path_ != "-")
            close(fd_);
        if (!tmp_.empty())
            unlink(tmp_.c_str());
    }
    bool Open(const std::string &path, std::string *why)
    {
        path_ = path;
        if (path == "-") {
            fd_ = 1;
            return true;
        }
        tmp_ = path + ".XXXXXX";
        fd_ = mkstemp(&tmp_[0]);
        if (fd_ < 0) {
            *why = "cannot create " + tmp_ + ": " + std::strerror(errno);
            tmp_.clear();
            return false;
        }
        return true;
    }
    bool Commit(std::string *why)
    {
        if (path_ == "-")
            return true;
        if (fsync(fd_) < 0 || close(fd_) < 0) {
            fd_ = -1;
            *why = "cannot write " + path_ + ": " + std::strerror(errno);
            return false;
        }
        fd_ = -1;
        if (rename(tmp_.c_str(), path_.c_str()) < 0) {
            *why = "cannot rename " + tmp_ + " to " + path_ + ": " + std::strerror(errno);
            return false;
        }
        tmp_.clear();
        return true;
    }
    int fd() const { return fd_; }

private:
    std::string path_, tmp_;
    int fd_ = -1;
};

} // namespace xsm

#endif
