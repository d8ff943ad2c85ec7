/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of engine/node_policy.h, which says what it is. */
#include "engine/node_policy.h"

#include <algorithm>
#include <cerrno>

#include "engine/device_backends.h"
#include "engine/xs_syntax.h"
#include "stream/format.h"
#include "xen/domid.h"
#include "xen/home_path.h"

namespace xsm {

namespace {
constexpr std::string_view kDomidVar = "$DOMID";
} // namespace

std::vector<std::string_view> SplitPath(std::string_view path)
{
    std::vector<std::string_view> out;
    SplitPathInto(path, &out);
    return out;
}

void SplitPathInto(std::string_view path, std::vector<std::string_view> *comps)
{
    std::vector<std::string_view> &out = *comps;
    out.clear();
    size_t pos = 0;
    while (pos < path.size()) {
        if (path[pos] == '/') {
            pos++;
            continue;
        }
        size_t end = path.find('/', pos);
        if (end == std::string_view::npos)
            end = path.size();
        out.push_back(path.substr(pos, end - pos));
        pos = end;
    }
}

std::vector<std::string> NodePolicy::DefaultTemplates()
{
    return {"/local/domain/$DOMID", "/local/domain/*/backend/*/$DOMID"};
}

const NodePolicy &NodePolicy::Default()
{
    static const NodePolicy p = [] {
        NodePolicy q;
        std::string why;
        q.Parse(DefaultTemplates(), &why);
        return q;
    }();
    return p;
}

bool NodePolicy::Parse(const std::vector<std::string> &templates, std::string *why)
{
    templates_.clear();
    text_ = templates;
    for (const std::string &s : templates) {
        Template t;
        if (s.empty() || s[0] != '/') {
            *why = "node template \"" + s + "\" is not an absolute path";
            return false;
        }
        int domid_count = 0;
        for (std::string_view c : SplitPath(s)) {
            if (c == kDomidVar) {
                t.domid_at = t.comps.size();
                domid_count++;
            }
            t.comps.emplace_back(c);
        }
        if (domid_count != 1) {
            *why = "node template \"" + s + "\" must name $DOMID exactly once";
            return false;
        }
        const std::vector<std::string> &c = t.comps;
        t.backend = c.size() == 6 && c[0] == "local" && c[1] == "domain" &&
                    c[3] == "backend" && t.domid_at == 5;
        templates_.push_back(std::move(t));
    }
    home_first_ = !templates_.empty() && templates_[0].comps ==
                  std::vector<std::string>{"local", "domain", std::string(kDomidVar)};
    return true;
}

size_t NodePolicy::HomePrefix(std::string_view path, unsigned int domid) const
{
    /* A reserved domid is no area's owner (ParseDomid). */
    if (!home_first_ || !IsDomid(domid))
        return 0;
    return HomeLength(path, domid);
}

bool NodePolicy::Matches(const Template &t, const std::vector<std::string_view> &comps,
                         const std::string &domid)
{
    if (comps.size() < t.comps.size())
        return false;
    for (size_t i = 0; i < t.comps.size(); i++) {
        const std::string &tc = t.comps[i];
        if (tc == kDomidVar ? comps[i] != domid : tc != "*" && comps[i] != tc)
            return false;
    }
    return true;
}

NodePolicy::Area NodePolicy::Classify(std::string_view path, unsigned int domid) const
{
    if (path.empty() || path[0] != '/')
        return {};
    if (HomePrefix(path, domid)) {
        Area a;
        a.inside = true;
        a.owner = static_cast<int>(domid);
        a.domid_component = 2;
        return a;
    }
    /* Runs for every node of a stream: the components' room is reused. */
    thread_local std::vector<std::string_view> comps;
    SplitPathInto(path, &comps);
    return Classify(comps, domid);
}

NodePolicy::Area NodePolicy::Classify(const std::vector<std::string_view> &comps,
                                      unsigned int domid) const
{
    const std::string me = std::to_string(domid);
    for (const Template &t : templates_) {
        if (!Matches(t, comps, me))
            continue;
        Area a;
        a.inside = true;
        a.domid_component = t.domid_at;
        /* /local/domain/X/...: X owns the area; X must be a domid. */
        if (comps.size() >= 3 && comps[0] == "local" && comps[1] == "domain") {
            unsigned int owner;
            if (!ParseDomid(comps[2], &owner))
                continue;
            a.owner = static_cast<int>(owner);
        }
        return a;
    }
    return {};
}

std::string NodePolicy::Remap(std::string_view path, unsigned int from, unsigned int to) const
{
    if (path.empty() || path[0] != '/')
        return std::string(path);
    /* Split once, into reused room: this runs for every node of a restored domain. */
    thread_local std::vector<std::string_view> comps;
    SplitPathInto(path, &comps);
    Area a = Classify(comps, from);
    if (!a.inside)
        return std::string(path);
    std::string out;
    const std::string to_s = std::to_string(to);
    out.reserve(path.size() + to_s.size());
    for (size_t i = 0; i < comps.size(); i++) {
        out += '/';
        out += i == a.domid_component ? std::string_view(to_s) : comps[i];
    }
    return out;
}

void NodePolicy::RemapInPlace(std::string *path, unsigned int from, unsigned int to) const
{
    size_t end = HomePrefix(*path, from);
    /* The template walk also drops empty components: only a path without
     * any keeps its other octets as they are. */
    for (size_t i = end; end && i < path->size(); i++) {
        if ((*path)[i] == '/' && (i + 1 == path->size() || (*path)[i + 1] == '/'))
            end = 0;
    }
    if (!end) {
        *path = Remap(*path, from, to);
        return;
    }
    constexpr size_t kIdAt = kHomesPrefix.size();
    const DomidText text(to);
    const std::string_view id = text.view();
    /* Most moves keep the id's length: the digits in place, without
     * std::string::replace(), which was most of a restore's remapping. */
    if (id.size() == end - kIdAt)
        std::copy(id.begin(), id.end(), path->begin() + kIdAt);
    else
        path->replace(kIdAt, end - kIdAt, id.data(), id.size());
}

Status NodePolicy::Expand(const Template &t, size_t idx, const std::string &prefix,
                          unsigned int domid, const Lister &list,
                          std::vector<std::string> *roots) const
{
    const std::string &tc = t.comps[idx];
    const bool last = idx + 1 == t.comps.size();
    std::vector<std::string> children;

    if (tc == "*" || last) {
        Status listed = list(prefix.empty() ? "/" : prefix, &children);
        if (IsMissingNode(listed))
            return Status::Ok(); /* nothing of this template here */
        if (!listed.ok())
            return listed;
    }
    if (tc == "*") {
        for (const std::string &c : children) {
            if (last)
                roots->push_back(prefix + "/" + c);
            else if (Status st = Expand(t, idx + 1, prefix + "/" + c, domid, list, roots);
                     !st.ok())
                return st;
        }
        return Status::Ok();
    }
    const std::string name = tc == kDomidVar ? std::to_string(domid) : tc;
    if (!last)
        return Expand(t, idx + 1, prefix + "/" + name, domid, list, roots);
    if (std::find(children.begin(), children.end(), name) != children.end())
        roots->push_back(prefix + "/" + name);
    return Status::Ok();
}

Status NodePolicy::Roots(unsigned int domid, const Lister &list, const Reader &read,
                         std::vector<std::string> *roots,
                         std::vector<std::string> *warnings) const
{
    bool backends = false;
    for (const Template &t : templates_) {
        if (t.backend)
            backends = true;
        else if (Status st = Expand(t, 0, "", domid, list, roots); !st.ok())
            return st;
    }
    if (backends) {
        std::vector<std::string> dirs;
        if (Status st = FindDeviceBackends(domid, list, read, &dirs, warnings); !st.ok())
            return st;
        const std::string me = std::to_string(domid);
        for (const std::string &d : dirs) {
            const std::vector<std::string_view> comps = SplitPath(d);
            for (const Template &t : templates_) {
                if (t.backend && Matches(t, comps, me)) {
                    roots->push_back(d);
                    break;
                }
            }
        }
    }
    /* Templates may overlap: keep each subtree once, an ancestor over its descendants. */
    std::sort(roots->begin(), roots->end());
    std::vector<std::string> kept;
    for (const std::string &r : *roots) {
        if (!kept.empty() && (r == kept.back() || r.rfind(kept.back() + "/", 0) == 0))
            continue;
        kept.push_back(r);
    }
    *roots = std::move(kept);
    return Status::Ok();
}

} // namespace xsm
