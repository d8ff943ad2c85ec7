/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of xenstored/domain_store.h, which says what it is. */
#include "xenstored/domain_store.h"

#include <sys/mman.h>

#include <utility>

namespace xsm {

StateImage StateImage::Mapped(void *addr, size_t len)
{
    StateImage i;
    i.map_ = addr;
    i.map_len_ = len;
    i.view_ = std::string_view(static_cast<const char *>(addr), len);
    return i;
}

StateImage StateImage::Owned(std::string octets)
{
    StateImage i;
    i.owned_ = std::move(octets);
    i.view_ = i.owned_;
    return i;
}

StateImage::~StateImage()
{
    Release();
}

StateImage::StateImage(StateImage &&o) noexcept
{
    *this = std::move(o);
}

StateImage &StateImage::operator=(StateImage &&o) noexcept
{
    if (this == &o)
        return *this;
    Release();
    map_ = std::exchange(o.map_, nullptr);
    map_len_ = std::exchange(o.map_len_, 0);
    const bool owned = !o.owned_.empty();
    owned_ = std::move(o.owned_);
    /* A moved string may have moved its octets (short strings do not). */
    view_ = owned ? std::string_view(owned_) : o.view_;
    o.owned_.clear();
    o.view_ = {};
    return *this;
}

void StateImage::Release()
{
    if (map_)
        munmap(map_, map_len_);
    map_ = nullptr;
    map_len_ = 0;
    owned_.clear();
    view_ = {};
}

size_t SaveDomainRequestOctets(unsigned int domid, const std::vector<std::string> &roots)
{
    /* "save-domain", the domid, the empty file argument, the roots: each
     * NUL-terminated. */
    size_t octets = sizeof("save-domain") + std::to_string(domid).size() + 1 + 1;
    for (const std::string &r : roots)
        octets += r.size() + 1;
    return octets;
}

} // namespace xsm
