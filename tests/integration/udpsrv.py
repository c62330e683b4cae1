#!/usr/bin/env python3
# A scripted UDP server for the simpletcp-over-UDP checks
# (44-checker-udp.t): udpsrv.py ADDR PORT MODE LOG READY.  Each datagram
# it gets is logged (its repr, one a line); the answer depends on MODE:
#   pong    "hello\r\nPONG <n>\r\n", n the datagrams seen so far
#   wrong   "PANG\n"
#   silent  nothing
#   late    nothing to the first datagram, then as pong (a resend helps)
#   big     3000 bytes of "P", one datagram over the checker's bound
import socket
import sys


def answer(mode, seen):
    if mode == "pong" or (mode == "late" and seen > 1):
        return b"hello\r\nPONG %d\r\n" % seen
    if mode == "wrong":
        return b"PANG\n"
    if mode == "big":
        return b"P" * 3000
    return None


def main():
    addr, port, mode, log, ready = sys.argv[1:6]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    open(ready, "w").close()
    seen = 0
    with open(log, "a", buffering=1) as f:
        while True:
            data, peer = s.recvfrom(65535)
            seen += 1
            f.write(repr(data) + "\n")
            reply = answer(mode, seen)
            if reply is not None:
                s.sendto(reply, peer)


main()
