/* SPDX-License-Identifier: LGPL-2.1-only */
/* The implementation of engine/restore_rule.h, which says what it is. */
#include "engine/restore_rule.h"

#include <cerrno>
#include <string_view>

#include "engine/path_table.h"
#include "engine/xs_syntax.h"
#include "xen/home_path.h"

namespace xsm {

namespace {

/*
 * Runtime state of this host's toolstack and devices: never taken, this
 * host's value stands.  control/shutdown is the receiving toolstack's
 * request channel.  device/ is the frontend half of every PV device
 * protocol (state, ring-ref, event-channel, ...), tied to the sending
 * host's grant table and event channels: taken from the stream it moves a
 * frontend the receiving toolstack has just created (state 1) to
 * Connected over its new backend, which then maps grant references the
 * new domain does not have.  A guest that resumes its devices writes its
 * frontends again itself; one that cannot is refused a move with devices
 * (libxl, --non-cooperative).
 */
bool IsReset(const std::string &path, unsigned int domid)
{
    /* Runs for every node restored: no allocation. */
    const size_t home = HomeLength(path, domid);
    if (!home || home == path.size())
        return false;
    const std::string_view rel = std::string_view(path).substr(home + 1);
    return rel == "control/shutdown" || rel == "device" || rel.substr(0, 7) == "device/";
}

std::string PermText(const Perm &p)
{
    return std::string(1, p.perm) + std::to_string(p.domid);
}

} // namespace

Verdict JudgeNode(const NodeState &n, const NodePolicy::Area &area, const RuleOptions &o,
                  std::string *why)
{
    const unsigned int me = o.domid;
    const bool own = area.owner < 0 || static_cast<unsigned int>(area.owner) == me;
    const int backend = own ? -1 : area.owner;
    const Perm &first = n.perms[0];
    const unsigned int owner = first.domid;
    auto refuse = [&](const std::string &reason) {
        *why = n.path + ": " + reason;
        return Verdict::kRefuse;
    };

    /*
     * A backend area is its backend domain's to write, as it likes: its
     * owners and permissions say nothing about the guest or its sender,
     * and none of it is applied here.  Judging it would let the backend
     * (a driver domain) veto the guest's restore with one node.
     */
    if (!own && !o.trusted_stream)
        return Verdict::kSkip;
    if (first.flags & 0x01)
        return refuse("its owner entry " + PermText(first) + " is marked \"ignore\"");
    for (const Perm &p : n.perms) {
        bool named = p.domid == me || p.domid == 0 ||
                     (backend >= 0 && p.domid == static_cast<unsigned int>(backend)) ||
                     o.trusted.count(p.domid);
        if (!named)
            return refuse("permission " + PermText(p) + " names domain " +
                          std::to_string(p.domid) +
                          ", a third domain the stream may not grant access to");
    }
    /*
     * The first entry is also the access of every domain not listed: the
     * guest may choose that for a node of its own (SET_PERMS), no one can
     * choose it for dom0's or a backend's node.
     */
    if ((first.perm == 'w' || first.perm == 'b') && owner != me)
        return refuse("first permission entry " + PermText(first) +
                      " would give every domain not listed write access");

    if (own) {
        if (owner != me && owner != 0)
            return refuse("owned by domain " + std::to_string(owner) + " in domain " +
                          std::to_string(me) + "'s area, where only it and dom0 own nodes");
        if (IsReset(n.path, me))
            return Verdict::kSkip;
        if (o.trusted_stream || owner == me)
            return Verdict::kTake;
        return Verdict::kSkip; /* the toolstack's: name, vm, domid, store/... */
    }
    if (owner != static_cast<unsigned int>(backend))
        return refuse("backend node owned by domain " + std::to_string(owner) +
                      ", not by its backend " + std::to_string(backend));
    for (const Perm &p : n.perms) {
        if (p.domid == me && p.perm != 'r' && p.perm != 'n')
            return refuse("backend node would grant domain " + std::to_string(me) + " '" +
                          p.perm + "' access (at most 'r')");
    }
    return o.trusted_stream ? Verdict::kTake : Verdict::kSkip;
}

bool Writable(const std::vector<XsPermission> &perms, unsigned int domid)
{
    if (perms.empty())
        return false;
    /* dom0 is privileged; the owner may do anything. */
    if (domid == 0 || perms[0].domid == domid)
        return true;
    for (size_t i = 1; i < perms.size(); i++) {
        if (perms[i].domid == domid)
            return perms[i].access == 'w' || perms[i].access == 'b';
    }
    return perms[0].access == 'w' || perms[0].access == 'b';
}

Status CheckAgainstHost(const DomainState &s, const NodePolicy &policy, const RuleOptions &o,
                        unsigned int to, const HostLookup &lookup)
{
    auto refuse = [&](const NodeState &n, const std::string &reason) {
        return std::move(Status::BeyondDomain(n.at.Describe() + ": " + n.path + ": " + reason)
                                 .From(StatusOrigin::kEngine));
    };
    /* Views into s, which does not change here: no copy of a path. */
    PathTable<bool> taken(s.nodes.size());
    for (const NodeState &n : s.nodes) {
        if (!n.pending())
            taken.At(n.path) = true;
    }
    /*
     * Taken nodes found absent on this host: their children (which
     * follow them in a stream xenstored wrote) cannot exist either, so a
     * restored subtree costs one lookup, not one per node.
     */
    PathTable<bool> absent(s.nodes.size());
    std::vector<XsPermission> perms;
    for (const NodeState &n : s.nodes) {
        if (n.pending())
            continue;
        /* Who writes the node here: the guest, or (trusted) dom0 or a backend. */
        const unsigned int owner = n.perms[0].domid == o.domid ? to : n.perms[0].domid;
        const std::string_view parent = std::string_view(n.path).substr(0, n.path.rfind('/'));
        if (absent.Contains(parent)) {
            absent.At(n.path) = true;
            continue;
        }
        const std::string here = policy.Remap(n.path, o.domid, to);
        if (Status st = lookup(here, &perms); !st.ok())
            return st;
        if (!perms.empty()) {
            if (perms[0].domid != owner)
                return refuse(n, "exists on this host owned by domain " +
                                         std::to_string(perms[0].domid) + ": domain " +
                                         std::to_string(owner) + " could not replace it");
            continue;
        }
        absent.At(n.path) = true;
        /* dom0 creates missing parents, as its XS_WRITE would. */
        if (parent.empty() || taken.Contains(parent) || owner == 0)
            continue;
        const std::string parent_here = policy.Remap(parent, o.domid, to);
        if (Status st = lookup(parent_here, &perms); !st.ok())
            return st;
        if (perms.empty())
            return refuse(n, "its parent " + parent_here +
                                     " neither exists on this host nor is restored");
        if (!Writable(perms, owner))
            return refuse(n, "domain " + std::to_string(owner) + " cannot create nodes under " +
                                     parent_here + " on this host");
    }
    return Status::Ok();
}

size_t StoredNodeSize(const NodeState &n, size_t childlen)
{
    /* struct xs_tdb_record_hdr (generation, num_perms, datalen, childlen,
     * aligned for its 64-bit generation), struct xs_permissions each. */
    constexpr size_t kHeader = 24, kPerm = 8;
    return kHeader + n.perms.size() * kPerm + n.value.size() + childlen;
}

Status CheckStoredSizes(const DomainState &s, long node_size)
{
    /* Views into s, which does not change here. */
    PathTable<size_t> childlen(s.nodes.size());
    for (const NodeState &n : s.nodes) {
        if (!n.pending()) {
            size_t slash = n.path.rfind('/');
            childlen.At(std::string_view(n.path).substr(0, slash)) += n.path.size() - slash;
        }
    }
    for (const NodeState &n : s.nodes) {
        if (n.pending() || n.perms.empty() || n.perms[0].domid == 0)
            continue;
        const size_t *names = childlen.Get(n.path);
        const size_t size = StoredNodeSize(n, names ? *names : 0);
        /* write_node_raw refuses a record of the quota's size too; oversized
         * is EINVAL, as the checks while reading say. */
        if (size >= static_cast<size_t>(node_size))
            return std::move(Status::BadStream(n.at.Describe() + ": " + n.path + ": stored as " +
                                               std::to_string(size) +
                                               " octets (value, permissions and children's "
                                               "names, for domain " +
                                               std::to_string(n.perms[0].domid) +
                                               "), not below xenstored's node-size quota " +
                                               std::to_string(node_size))
                                     .From(StatusOrigin::kEngine));
    }
    return Status::Ok();
}

} // namespace xsm
