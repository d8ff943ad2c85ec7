#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Print a xenstore migration stream (tools/xenstore/include/xenstore_state.h,
as xenstored's live update writes it) one record per line, for the xensim
tests to grep.  Deliberately independent of the project's codec: it checks
the bytes xenstored wrote, not what the codec thinks of them.

  HEADER version=1 flags=0
  GLOBAL socket_fd=N evtchn_fd=N
  CONN id=N type=ring domid=N tdomid=N evtchn=N in=N resp=N out=N
  CONN id=N type=socket fd=N in=N resp=N out=N
  WATCH conn=N path=P token=T
  TA conn=N id=N
  NODE path=P perms=n0,r3 data=D
  END
"""
import struct
import sys


def cstr(b):
    return b.split(b"\0", 1)[0].decode("utf-8", "backslashreplace")


def main(path):
    data = open(path, "rb").read()
    if data[:8] != b"xenstore":
        sys.exit("%s: no xenstore header" % path)
    version = struct.unpack(">I", data[8:12])[0]
    flags = struct.unpack("<I", data[12:16])[0]
    if flags != 0:
        sys.exit("%s: only little endian streams are handled" % path)
    print("HEADER version=%d flags=%d" % (version, flags))
    off = 16
    while off + 8 <= len(data):
        rtype, length = struct.unpack_from("<II", data, off)
        body = data[off + 8:off + 8 + length]
        off += 8 + length
        if rtype == 0:
            print("END")
            break
        if rtype == 1:
            print("GLOBAL socket_fd=%d evtchn_fd=%d" % struct.unpack_from("<ii", body))
        elif rtype == 2:
            cid, ctype = struct.unpack_from("<IH", body)
            din, dresp, dout = struct.unpack_from("<HHI", body, 16)
            if ctype == 0:
                domid, tdomid, evtchn = struct.unpack_from("<HHI", body, 8)
                spec = "type=ring domid=%d tdomid=%d evtchn=%d" % (domid, tdomid, evtchn)
            else:
                spec = "type=socket fd=%d" % struct.unpack_from("<i", body, 8)
            print("CONN id=%d %s in=%d resp=%d out=%d" % (cid, spec, din, dresp, dout))
        elif rtype == 3:
            cid, plen, tlen = struct.unpack_from("<IHH", body)
            print("WATCH conn=%d path=%s token=%s" % (
                cid, cstr(body[8:8 + plen]), cstr(body[8 + plen:8 + plen + tlen])))
        elif rtype == 4:
            print("TA conn=%d id=%d" % struct.unpack_from("<II", body))
        elif rtype == 5:
            _, _, plen, dlen, _, nperm = struct.unpack_from("<IIHHHH", body)
            perms = []
            for i in range(nperm):
                access, _, domid = struct.unpack_from("<BBH", body, 16 + 4 * i)
                perms.append("%s%d" % (chr(access), domid))
            p = 16 + 4 * nperm
            print("NODE path=%s perms=%s data=%s" % (
                cstr(body[p:p + plen]), ",".join(perms),
                body[p + plen:p + plen + dlen].decode("utf-8", "backslashreplace")))
        else:
            print("UNKNOWN type=%d length=%d" % (rtype, length))
    else:
        sys.exit("%s: stream ends without an END record" % path)


if __name__ == "__main__":
    main(sys.argv[1])
