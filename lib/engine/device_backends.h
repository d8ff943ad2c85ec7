/* SPDX-License-Identifier: LGPL-2.1-only */
/*
 * The backend areas of a guest's devices, as its frontends name them.
 *
 * A PV device of guest V is a frontend /local/domain/V/device/T/ID and a
 * backend /local/domain/X/backend/T/V/ID in the driver domain X serving
 * it; the frontend's "backend" node names the backend.  A backend area
 * /local/domain/X/backend/T/V is X's to write, so only the directories of
 * V's own devices are V's state: anything else X keeps there (other
 * types, other ids) would otherwise travel as V's, where X could plant
 * nodes or make V's save fail.
 *
 * The frontend and its "backend" node are the guest's own (the toolstack
 * writes them with the guest as owner), so the value is followed only if
 * it names exactly the backend directory of that same device: a valid
 * domid X (decimal, no leading zero, not reserved), the frontend's type
 * T (or the other name libxl gives that kind's backend: qdisk for vbd,
 * vinput for vkbd, qusb for vusb), the guest V and the frontend's id ID.
 * Anything else is not followed and said in a warning; the save goes on
 * without it.
 */
#ifndef XSM_ENGINE_DEVICE_BACKENDS_H
#define XSM_ENGINE_DEVICE_BACKENDS_H

#include <string>
#include <vector>

#include "engine/node_policy.h"

namespace xsm {

/*
 * The existing backend directories /local/domain/X/backend/T/V/ID of
 * domid's frontends, sorted; *warnings gets a line per frontend whose
 * "backend" node is not followed.  False with *e if the store cannot be
 * read (ENOENT is no error: that part does not exist).
 */
Status FindDeviceBackends(unsigned int domid, const NodePolicy::Lister &list,
                          const NodePolicy::Reader &read, std::vector<std::string> *dirs,
                          std::vector<std::string> *warnings);

} // namespace xsm

#endif
