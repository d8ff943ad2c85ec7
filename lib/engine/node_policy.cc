/* SPDX-License-Identifier: LGPL-2.1-only */
#include "engine/node_policy.h"

#include <algorithm>
#include <cerrno>

#include "stream/format.h"

namespace xsm {

namespace {
constexpr std::string_view kDomidVar = "$DOMID";

bool ParseDomid(std::string_view s, int *out)
{
    if (s.empty() || s.size() > 5)
        return false;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    if (s.size() > 1 && s[0] == '0')
        return false;
    *out = v;
    return v < kDomidFirstReserved;
}
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
        templates_.push_back(std::move(t));
    }
    return true;
}

NodePolicy::Area NodePolicy::Classify(std::string_view path, unsigned int domid) const
{
    if (path.empty() || path[0] != '/')
        return {};
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
        if (comps.size() < t.comps.size())
            continue;
        bool match = true;
        for (size_t i = 0; match && i < t.comps.size(); i++) {
            const std::string &tc = t.comps[i];
            if (tc == kDomidVar)
                match = comps[i] == me;
            else if (tc != "*")
                match = comps[i] == tc;
        }
        if (!match)
            continue;
        Area a;
        a.inside = true;
        a.domid_component = t.domid_at;
        /* /local/domain/X/...: X owns the area; X must be a domid. */
        if (comps.size() >= 3 && comps[0] == "local" && comps[1] == "domain") {
            if (!ParseDomid(comps[2], &a.owner))
                continue;
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

bool NodePolicy::Expand(const Template &t, size_t idx, const std::string &prefix,
                        unsigned int domid, const Lister &list,
                        std::vector<std::string> *roots, XsError *e) const
{
    const std::string &tc = t.comps[idx];
    const bool last = idx + 1 == t.comps.size();
    std::vector<std::string> children;

    if (tc == "*" || last) {
        XsError le;
        if (!list(prefix.empty() ? "/" : prefix, &children, &le)) {
            if (le.err == ENOENT)
                return true; /* nothing of this template here */
            *e = le;
            return false;
        }
    }
    if (tc == "*") {
        for (const std::string &c : children) {
            if (last)
                roots->push_back(prefix + "/" + c);
            else if (!Expand(t, idx + 1, prefix + "/" + c, domid, list, roots, e))
                return false;
        }
        return true;
    }
    const std::string name = tc == kDomidVar ? std::to_string(domid) : tc;
    if (!last)
        return Expand(t, idx + 1, prefix + "/" + name, domid, list, roots, e);
    if (std::find(children.begin(), children.end(), name) != children.end())
        roots->push_back(prefix + "/" + name);
    return true;
}

bool NodePolicy::Roots(unsigned int domid, const Lister &list, std::vector<std::string> *roots,
                       XsError *e) const
{
    for (const Template &t : templates_) {
        if (!Expand(t, 0, "", domid, list, roots, e))
            return false;
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
    return true;
}

} // namespace xsm
