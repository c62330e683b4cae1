#!/usr/bin/env python3
"""Hostile TLS servers for tests/integration/34-checker-tls.t.

    tlshostile.py DIR NAME MODE ADDR PORT [NAME MODE ADDR PORT ...]

For each group of four, listens on ADDR:PORT and answers every TLS
client the way MODE says. Each accepted connection appends one line to
DIR/NAME.conns; DIR/ready appears once every server listens. One thread
per listener and per connection.

Modes:
    mute        reads the ClientHello and never answers: the handshake
                never completes
    garbage     answers the ClientHello with 4 KiB of random bytes
    endlesscert a well-formed TLS 1.2 ServerHello, then a Certificate
                message that claims 16 MiB and never ends: records of
                random bytes as fast as the client takes them
"""
import os
import struct
import sys

import hostile  # the listeners and their bookkeeping


def read_hello(c):
    """Read what the client sends first (its ClientHello), or give up."""
    c.settimeout(5)
    try:
        c.recv(65536)
    except OSError:
        pass
    c.settimeout(None)


def mute(c):
    # hold the connection open, silent, until the client gives up
    c.settimeout(60)
    try:
        while c.recv(4096):
            pass
    except OSError:
        pass


def garbage(c):
    c.sendall(os.urandom(4096))
    mute(c)


def record(ctype, body):
    return struct.pack(">BHH", ctype, 0x0303, len(body)) + body


def handshake(htype, body, length=None):
    n = len(body) if length is None else length
    return struct.pack(">B", htype) + struct.pack(">I", n)[1:] + body


def server_hello():
    # TLS 1.2, ECDHE-RSA-AES128-GCM-SHA256, no compression, and the
    # renegotiation_info extension OpenSSL 3 insists on
    ext = b"\xff\x01\x00\x01\x00"
    body = b"\x03\x03" + os.urandom(32) + b"\x00" + b"\xc0\x2f" + b"\x00" + \
        struct.pack(">H", len(ext)) + ext
    return record(0x16, handshake(0x02, body))


def endlesscert(c):
    c.sendall(server_hello())
    # Certificate, 16 MiB announced; the certificate list, then noise
    first = handshake(0x0b, b"\xff\xff\xfc" + b"\xff\xff\xf9", 0xffffff)
    c.sendall(record(0x16, first))
    while True:
        c.sendall(record(0x16, os.urandom(16384)))


MODES = {"mute": mute, "garbage": garbage, "endlesscert": endlesscert}


if __name__ == "__main__":
    hostile.run(sys.argv, MODES, read_hello, __doc__)
