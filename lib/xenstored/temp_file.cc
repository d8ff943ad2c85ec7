/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of xenstored/temp_file.h, which says what it is. */
#include "xenstored/temp_file.h"

#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <unistd.h>

namespace xsm {

TempFile::~TempFile()
{
    if (fd_ >= 0)
        close(fd_);
}

bool TempFile::Create(const char *tag)
{
    const char *dir = std::getenv("XSM_STATE_DIR");
    if (!dir || !*dir)
        dir = std::getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    /* Readable by xenstored only through our fd: mode 0600. */
    fd_ = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd_ < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        /* No O_TMPFILE on this file system: name it for an instant only. */
        std::string tmpl = std::string(dir) + "/xsmigrate-" + tag + "-XXXXXX";
        fd_ = mkostemp(&tmpl[0], O_CLOEXEC);
        if (fd_ >= 0)
            unlink(tmpl.c_str());
    }
    return fd_ >= 0;
}

} // namespace xsm
