/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * A scratch file for handing a stream to xenstored, which reads and
 * writes its per-domain state through the file system (the CONTROL reply
 * is limited to a page).  Removed when it goes out of scope.
 */
#ifndef XSM_ENGINE_TEMP_FILE_H
#define XSM_ENGINE_TEMP_FILE_H

#include <string>

namespace xsm {

class TempFile {
public:
    TempFile() = default;
    ~TempFile();
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;

    /* In $XSM_STATE_DIR, else $TMPDIR, else /tmp.  False with errno. */
    bool Create(const char *tag);
    const std::string &path() const { return path_; }
    int fd() const { return fd_; }

private:
    std::string path_;
    int fd_ = -1;
};

} // namespace xsm

#endif
