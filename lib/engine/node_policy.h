/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * Which nodes belong to a domain's xenstore state.
 *
 * A policy is a list of path templates; a node belongs to domain D if a
 * template, with $DOMID read as D and * as any one path component,
 * matches the node's path or one of its ancestors.  The default (with
 * "ANY" standing for the "*" of a template):
 *
 *   /local/domain/$DOMID                     the domain's own subtree
 *   /local/domain/ANY/backend/ANY/$DOMID     the backend areas of its devices
 *
 * Under /local/domain/X/..., X is the area's owner: the domain itself, or
 * the backend domain for a backend area.  Restore uses this to check
 * permissions (engine/state_checker.h) and to rewrite paths for a new
 * domid.
 *
 * Save asks xenstored for the existing subtrees (roots) of the set.  A
 * backend template, /local/domain/X/backend/T/$DOMID with X and T each a
 * name or ANY, stands for the backend areas of the domain's own devices
 * only: its roots are the device directories the domain's frontends name
 * (engine/device_backends.h) that it matches, not every backend area it
 * matches, which their backend domains fill as they like.  Any other
 * template's roots are every existing node it matches, found by listing.
 */
#ifndef XSM_ENGINE_NODE_POLICY_H
#define XSM_ENGINE_NODE_POLICY_H

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "xenstored/xs_answer.h"

namespace xsm {

class NodePolicy {
public:
    static std::vector<std::string> DefaultTemplates();
    /* A policy of the default templates. */
    static const NodePolicy &Default();

    /* Templates are absolute and name $DOMID exactly once. */
    bool Parse(const std::vector<std::string> &templates, std::string *why);

    struct Area {
        bool inside = false;
        int owner = -1;            /* domid owning the area; -1: none (not under /local/domain) */
        size_t domid_component = 0;/* which path component is the domid */
    };
    Area Classify(std::string_view path, unsigned int domid) const;
    /* The same for a path already split into its components. */
    Area Classify(const std::vector<std::string_view> &comps, unsigned int domid) const;

    /* The path with the domid component of its area changed from -> to. */
    std::string Remap(std::string_view path, unsigned int from, unsigned int to) const;
    /* The same, in place: a domain's own path keeps its room when only
     * the domid's digits change. */
    void RemapInPlace(std::string *path, unsigned int from, unsigned int to) const;

    /* The store's answers (xenstored's, classified there); a missing
     * node is kXenstoredRefused with ENOENT. */
    using Lister = std::function<Status(const std::string &, std::vector<std::string> *)>;
    using Reader = std::function<Status(const std::string &, std::string *)>;
    /*
     * The existing subtree roots of domid's nodes, found with list() and
     * read(); *warnings gets what was not followed (a frontend naming
     * another backend than its own).  A failure of list() or read() other
     * than a missing node, as it is.
     */
    Status Roots(unsigned int domid, const Lister &list, const Reader &read,
                 std::vector<std::string> *roots, std::vector<std::string> *warnings) const;

    const std::vector<std::string> &templates() const { return text_; }

private:
    struct Template {
        std::vector<std::string> comps;
        size_t domid_at = 0;
        bool backend = false; /* /local/domain/X/backend/T/$DOMID */
    };
    static bool Matches(const Template &t, const std::vector<std::string_view> &comps,
                        const std::string &domid);
    Status Expand(const Template &t, size_t idx, const std::string &prefix, unsigned int domid,
                  const Lister &list, std::vector<std::string> *roots) const;

    /* Length of "/local/domain/<domid>" at the start of path when the first
     * template is the domain's home and path is in it; else 0.  Classify's
     * answer for such a path without splitting it: every node of a
     * domain's state takes this way. */
    size_t HomePrefix(std::string_view path, unsigned int domid) const;

    std::vector<Template> templates_;
    std::vector<std::string> text_;
    bool home_first_ = false; /* templates_[0] is /local/domain/$DOMID */
};

/* "/a/b/c" -> {"a","b","c"}; views into path. */
std::vector<std::string_view> SplitPath(std::string_view path);
/* The same into *comps, which is cleared first (its room is kept). */
void SplitPathInto(std::string_view path, std::vector<std::string_view> *comps);

} // namespace xsm

#endif
