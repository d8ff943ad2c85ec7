#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-only
"""Forge hostile variants of a saved domain stream, as a compromised sender
would, for the refusal tests.  Byte-level on purpose: it must not depend on
the codec under test.  The stream is xenstored's (little-endian host order).

  forge.py rename-path IN OUT OLD NEW     a node's path (same length)
  forge.py perm-domid  IN OUT PATH DOMID  the domid of PATH's last permission
"""
import struct
import sys


def main(argv):
    op, src, dst = argv[1], argv[2], argv[3]
    data = bytearray(open(src, "rb").read())
    if op == "rename-path":
        old, new = argv[4].encode() + b"\0", argv[5].encode() + b"\0"
        if len(old) != len(new):
            sys.exit("forge: paths must have the same length")
        at = data.find(old)
        if at < 0:
            sys.exit("forge: %s not in the stream" % argv[4])
        data[at:at + len(old)] = new
    elif op == "perm-domid":
        path = argv[4].encode() + b"\0"
        # NODE_DATA: the permissions (4 octets each) end where the path starts.
        at = data.find(path)
        if at < 8:
            sys.exit("forge: %s not in the stream" % argv[4])
        struct.pack_into("<H", data, at - 2, int(argv[5]))
    else:
        sys.exit(__doc__)
    open(dst, "wb").write(data)


if __name__ == "__main__":
    main(sys.argv)
