#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-only
"""The receiving toolstack's writes before a restore, in one process: dom0
requests on xenstored's socket (the wire protocol of xs_wire.h), so that a
test prepares a domain's home without a dozen xenstore-* commands.

  toolstack.py SOCKET < LINES      each line: PATH VALUE PERM...
                                   (VALUE "-" for empty); exit 1 on any error
"""
import socket
import struct
import sys

XS_WRITE, XS_SET_PERMS, XS_ERROR = 11, 14, 16


def request(sock, rtype, payload, req_id=[0]):
    req_id[0] += 1
    sock.sendall(struct.pack("<IIII", rtype, req_id[0], 0, len(payload)) + payload)
    head = b""
    while len(head) < 16:
        chunk = sock.recv(16 - len(head))
        if not chunk:
            sys.exit("toolstack: xenstored closed the connection")
        head += chunk
    rtype_back, _, _, length = struct.unpack("<IIII", head)
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            sys.exit("toolstack: xenstored closed the connection")
        body += chunk
    if rtype_back == XS_ERROR:
        sys.exit("toolstack: %s" % body.rstrip(b"\0").decode())


def main(path):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(10)
    sock.connect(path)
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        node, value, perms = words[0].encode(), words[1], words[2:]
        request(sock, XS_WRITE, node + b"\0" + (b"" if value == "-" else value.encode()))
        if perms:
            request(sock, XS_SET_PERMS,
                    node + b"\0" + b"".join(p.encode() + b"\0" for p in perms))


if __name__ == "__main__":
    main(sys.argv[1])
