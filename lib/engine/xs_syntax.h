/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * What xenstored 4.17 accepts as a node path, a watch path, a permission
 * and the framing of a connection's buffered messages, so that the engine
 * refuses what xenstored would refuse, with the record that carried it,
 * instead of handing it on and reporting a bare errno.
 *
 * Sources (tools/xenstore in Debian's 4.17.5): is_valid_nodename() and
 * valid_chars() in xenstored_core.c, check_watch_path() in
 * xenstored_watch.c, XENSTORE_* limits in xs_wire.h, and the restore
 * checks of the patch series (valid_state_msgs()).
 */
#ifndef XSM_ENGINE_XS_SYNTAX_H
#define XSM_ENGINE_XS_SYNTAX_H

#include <string>
#include <string_view>

#include "stream/records.h"
#include "xen/domid.h"

namespace xsm {

inline constexpr size_t kXsPayloadMax = 4096;     /* XENSTORE_PAYLOAD_MAX */
inline constexpr size_t kXsAbsPathMax = 3072;     /* XENSTORE_ABS_PATH_MAX */
inline constexpr size_t kXsRelPathMax = 2048;     /* XENSTORE_REL_PATH_MAX */
inline constexpr size_t kXsMsgHeaderSize = 16;    /* struct xsd_sockmsg */

/*
 * An absolute node path as is_valid_nodename() takes it: starts with "/",
 * no trailing "/" (except "/"), no "//", only [A-Za-z0-9_@/-] (so no "."
 * and no ".."), and at most path_max octets after a leading
 * "/local/domain/<id>/" (xenstored's "path-max" quota).
 */
bool CheckNodePath(std::string_view path, size_t path_max, std::string *why);

/* A watch path: "@..." (at most XENSTORE_REL_PATH_MAX octets), or a node
 * path, relative ones taken below /local/domain/<domid>. */
bool CheckWatchPath(std::string_view path, unsigned int domid, size_t path_max,
                    std::string *why);

/* One permission entry: access n/r/w/b, no flag but "ignore", a domid
 * below DOMID_FIRST_RESERVED. */
bool CheckPerm(const Perm &p, std::string *why);

/*
 * Buffered messages of a connection: complete xsd_sockmsg frames with at
 * most XENSTORE_PAYLOAD_MAX octets of payload; output may start with the
 * `partial` octets left of a response half-written to the ring, input
 * may end with one incomplete request.
 */
bool CheckMessages(std::string_view data, size_t partial, bool input, std::string *why);

} // namespace xsm

#endif
