/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of engine/xs_syntax.h, which says what it is. */
#include "engine/xs_syntax.h"

#include <cstdio>
#include <cstring>

#include "stream/format.h"
#include "xen/home_path.h"

namespace xsm {

namespace {

/* The octets xenstored's is_valid_nodename() takes, as a table of
 * classes: every restored node's path goes through ScanPath(), and a
 * compare chain per octet was a tenth of a restore's instructions in the
 * engine.  kSlash & kSlash is the only pair of classes with kSlash set. */
enum : unsigned char { kValid = 1, kSlash = 2, kRefused = 4 };
struct OctetClasses {
    unsigned char of[256] = {};
    constexpr OctetClasses()
    {
        for (auto &c : of)
            c = kRefused;
        for (int c = 'a'; c <= 'z'; c++)
            of[c] = kValid;
        for (int c = 'A'; c <= 'Z'; c++)
            of[c] = kValid;
        for (int c = '0'; c <= '9'; c++)
            of[c] = kValid;
        for (unsigned char c : {'-', '_', '@'})
            of[c] = kValid;
        of[static_cast<unsigned char>('/')] = kSlash;
    }
};
constexpr OctetClasses kOctetClasses;

/* What one pass over a path finds: a character xenstored refuses, "//". */
struct PathOctets {
    bool bad_char;
    bool double_slash;
};
PathOctets ScanPath(std::string_view path)
{
    unsigned int seen = 0, pairs = 0, prev = 0;
    for (char ch : path) {
        const unsigned int c = kOctetClasses.of[static_cast<unsigned char>(ch)];
        seen |= c;
        pairs |= c & prev;
        prev = c;
    }
    return {(seen & kRefused) != 0, (pairs & kSlash) != 0};
}

/* Length of "/local/domain/<id>/" at the start of path, as sscanf("%5u/%n") finds it. */
size_t LocalPrefix(std::string_view path)
{
    if (path.substr(0, kHomesPrefix.size()) != kHomesPrefix)
        return 0;
    size_t i = kHomesPrefix.size(), digits = 0;
    while (i < path.size() && digits < 5 && path[i] >= '0' && path[i] <= '9')
        i++, digits++;
    if (digits == 0 || i >= path.size() || path[i] != '/')
        return 0;
    return i + 1;
}

std::string Quoted(std::string_view s)
{
    std::string out = "\"";
    for (char c : s.substr(0, 80)) {
        if (c >= 0x20 && c < 0x7f) {
            out += c;
        } else {
            char hex[8];
            std::snprintf(hex, sizeof(hex), "\\x%02x", static_cast<unsigned char>(c));
            out += hex;
        }
    }
    return out + (s.size() > 80 ? "...\"" : "\"");
}

} // namespace

bool CheckNodePath(std::string_view path, size_t path_max, std::string *why)
{
    const char *bad = nullptr;
    const PathOctets o = ScanPath(path);
    if (path.empty() || path[0] != '/')
        bad = "is not absolute";
    else if (path.size() > 1 && path.back() == '/')
        bad = "ends with \"/\"";
    else if (o.double_slash)
        bad = "contains \"//\"";
    else if (path.size() > LocalPrefix(path) + path_max)
        bad = "is longer than xenstored's path-max";
    else if (path.size() > kXsAbsPathMax)
        bad = "is longer than XENSTORE_ABS_PATH_MAX";
    else if (o.bad_char)
        bad = "has a character xenstored refuses";
    if (bad)
        *why = "path " + Quoted(path) + " (" + std::to_string(path.size()) + " octets) " + bad;
    return !bad;
}

bool CheckWatchPath(std::string_view path, unsigned int domid, size_t path_max,
                    std::string *why)
{
    if (!path.empty() && path[0] == '@') {
        if (path.size() <= kXsRelPathMax)
            return true;
        *why = "special watch path " + Quoted(path) + " is longer than XENSTORE_REL_PATH_MAX";
        return false;
    }
    if (!path.empty() && path[0] == '/')
        return CheckNodePath(path, path_max, why);
    std::string abs = HomePath(domid) + "/" + std::string(path);
    if (path.empty() || !CheckNodePath(abs, path_max, why)) {
        *why = "watch path " + Quoted(path) + " is not a valid relative path";
        return false;
    }
    return true;
}

bool CheckPerm(const Perm &p, std::string *why)
{
    if (!std::strchr("nrwb", p.perm) || p.perm == 0) {
        *why = std::string("permission access '") + p.perm + "' is not one of n r w b";
        return false;
    }
    if (p.flags & ~0x01u) {
        *why = "permission flags " + std::to_string(p.flags) + " other than \"ignore\"";
        return false;
    }
    if (!IsDomid(p.domid)) {
        *why = "permission for domain " + std::to_string(p.domid) + ", a reserved domid";
        return false;
    }
    return true;
}

bool CheckMessages(std::string_view data, size_t partial, bool input, std::string *why)
{
    const char *what = input ? "pending input" : "pending output";
    if (partial > data.size()) {
        *why = std::string(what) + ": a partial response longer than the data";
        return false;
    }
    size_t off = partial;
    while (off < data.size()) {
        if (data.size() - off < kXsMsgHeaderSize) {
            if (input)
                return true;
            *why = std::string(what) + ": a message header cut at octet " + std::to_string(off);
            return false;
        }
        uint32_t len;
        std::memcpy(&len, data.data() + off + 12, sizeof(len)); /* host order, as on the ring */
        if (len > kXsPayloadMax) {
            *why = std::string(what) + ": a message of " + std::to_string(len) +
                   " octets at octet " + std::to_string(off) + " (more than " +
                   std::to_string(kXsPayloadMax) + ")";
            return false;
        }
        if (data.size() - off - kXsMsgHeaderSize < len) {
            if (input)
                return true;
            *why = std::string(what) + ": a message cut at octet " + std::to_string(off);
            return false;
        }
        off += kXsMsgHeaderSize + len;
    }
    return true;
}

} // namespace xsm
