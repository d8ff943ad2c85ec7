/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of engine/device_backends.h, which says what it is. */
#include "engine/device_backends.h"

#include <algorithm>
#include <cerrno>
#include <utility>

#include "stream/format.h"
#include "xen/domid.h"
#include "xen/home_path.h"

namespace xsm {

namespace {

/* A guest's value in a warning: bounded, printable, quoted. */
std::string Quote(const std::string &v)
{
    constexpr size_t kShown = 80;
    static const char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (size_t i = 0; i < v.size() && i < kShown; i++) {
        const unsigned char c = v[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    out += '"';
    if (v.size() > kShown)
        out += "... (" + std::to_string(v.size()) + " octets)";
    return out;
}

/* Children of path; none if it does not exist. */
Status ListOrNone(const NodePolicy::Lister &list, const std::string &path,
                  std::vector<std::string> *out)
{
    Status listed = list(path, out);
    if (listed.ok())
        return listed;
    out->clear();
    return IsMissingNode(listed) ? Status::Ok() : listed;
}

/*
 * The backend types a frontend of type t may have: its own, and those
 * libxl serves that kind of device with under another name (a disk by
 * QEMU, a keyboard by Linux's xen-kbdback, a USB controller by QEMU).
 */
bool BackendTypeFits(std::string_view t, std::string_view bt)
{
    static const std::pair<std::string_view, std::string_view> kOther[] = {
            {"vbd", "qdisk"}, {"vkbd", "vinput"}, {"vusb", "qusb"}};
    if (bt == t)
        return true;
    for (const auto &[front, back] : kOther) {
        if (t == front && bt == back)
            return true;
    }
    return false;
}

/*
 * value, if it is exactly "/local/domain/X/backend/BT/V/ID" for the
 * frontend of type t and id id of domain v: its "/local/domain/X/backend/BT/V"
 * part, the backend area; else empty.
 */
std::string_view BackendArea(std::string_view value, const std::string &t, const std::string &v,
                             const std::string &id)
{
    constexpr std::string_view kPrefix = kHomesPrefix, kBackend = "/backend/";
    std::string_view rest = value;
    if (rest.compare(0, kPrefix.size(), kPrefix) != 0)
        return {};
    rest.remove_prefix(kPrefix.size());
    size_t slash = rest.find('/');
    unsigned int x;
    if (slash == std::string_view::npos || !ParseDomid(rest.substr(0, slash), &x))
        return {};
    rest.remove_prefix(slash);
    if (rest.compare(0, kBackend.size(), kBackend) != 0)
        return {};
    rest.remove_prefix(kBackend.size());
    slash = rest.find('/');
    if (slash == std::string_view::npos || !BackendTypeFits(t, rest.substr(0, slash)))
        return {};
    rest.remove_prefix(slash);
    const std::string tail = "/" + v + "/" + id;
    if (rest != tail)
        return {};
    return value.substr(0, value.size() - id.size() - 1);
}

} // namespace

Status FindDeviceBackends(unsigned int domid, const NodePolicy::Lister &list,
                          const NodePolicy::Reader &read, std::vector<std::string> *dirs,
                          std::vector<std::string> *warnings)
{
    const std::string v = std::to_string(domid);
    const std::string devices = HomePath(domid) + "/device";
    std::vector<std::string> types, ids, present;
    if (Status st = ListOrNone(list, devices, &types); !st.ok())
        return st;
    for (const std::string &t : types) {
        if (Status st = ListOrNone(list, devices + "/" + t, &ids); !st.ok())
            return st;
        for (const std::string &id : ids) {
            const std::string frontend = devices + "/" + t + "/" + id;
            std::string value;
            Status got = read(frontend + "/backend", &value);
            if (IsMissingNode(got))
                continue; /* not a device (device/suspend/...), or not set up yet */
            if (!got.ok())
                return got;
            const std::string area(BackendArea(value, t, v, id));
            if (area.empty()) {
                warnings->push_back("domain " + v + "'s frontend " + frontend +
                                    " names backend " + Quote(value) +
                                    ", not its own device's backend area "
                                    "/local/domain/<domid>/backend/" + t + "/" + v + "/" + id +
                                    ": that backend is not saved");
                continue;
            }
            /* The device's directory, if its backend has one now. */
            if (Status st = ListOrNone(list, area, &present); !st.ok())
                return st;
            if (std::find(present.begin(), present.end(), id) != present.end())
                dirs->push_back(area + "/" + id);
        }
    }
    std::sort(dirs->begin(), dirs->end());
    dirs->erase(std::unique(dirs->begin(), dirs->end()), dirs->end());
    return Status::Ok();
}

} // namespace xsm
