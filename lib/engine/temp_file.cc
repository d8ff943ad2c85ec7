/* SPDX-License-Identifier: LGPL-2.1-only */
#include "engine/temp_file.h"

#include <cstdlib>
#include <unistd.h>

namespace xsm {

TempFile::~TempFile()
{
    if (fd_ >= 0)
        close(fd_);
    if (!path_.empty())
        unlink(path_.c_str());
}

bool TempFile::Create(const char *tag)
{
    const char *dir = std::getenv("XSM_STATE_DIR");
    if (!dir || !*dir)
        dir = std::getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    std::string tmpl = std::string(dir) + "/xsmigrate-" + tag + "-XXXXXX";
    fd_ = mkstemp(&tmpl[0]);
    if (fd_ < 0)
        return false;
    path_ = tmpl;
    return true;
}

} // namespace xsm
