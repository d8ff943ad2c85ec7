#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-only
"""A MOCK of oxenstored's CONTROL (XS_DEBUG) replies, for the pre-check only.

oxenstored cannot run on the simulated host, so this stands in for the one
behaviour the library must recognise: as process.ml's do_debug, it answers
the commands it knows ("print", "quota", "watches", "xenbus", "mfn",
"live-update") and acknowledges every other CONTROL command, "help"
included, with "OK".  Every other request gets XS_ERROR ENOSYS.  Each
CONTROL command's name is appended to LOG, so a test can tell which
commands reached the daemon.

Usage: mock_oxenstored.py SOCKET LOG   (serves until killed)
"""
import os
import socket
import struct
import sys
import threading

XS_CONTROL, XS_ERROR = 0, 16
HDR = struct.Struct("<IIII")


def serve(conn, log):
    with conn:
        while True:
            hdr = conn.recv(HDR.size, socket.MSG_WAITALL)
            if len(hdr) < HDR.size:
                return
            typ, req, tx, n = HDR.unpack(hdr)
            body = conn.recv(n, socket.MSG_WAITALL) if n else b""
            if typ == XS_CONTROL:
                cmd = body.split(b"\0")[0].decode(errors="replace")
                with open(log, "a") as f:
                    f.write(cmd + "\n")
                reply = b"OK\0"
            else:
                typ, reply = XS_ERROR, b"ENOSYS\0"
            conn.sendall(HDR.pack(typ, req, tx, len(reply)) + reply)


def main():
    path, log = sys.argv[1], sys.argv[2]
    # Bound under another name and renamed once it listens: a client that
    # sees SOCKET can connect (between bind and listen it is refused).
    tmp = path + ".new"
    for p in (path, tmp):
        if os.path.exists(p):
            os.unlink(p)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(tmp)
    s.listen(4)
    os.rename(tmp, path)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, log), daemon=True).start()


main()
