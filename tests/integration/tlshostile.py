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
import socket
import struct
import sys
import threading
import time


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


def serve(c, mode):
    try:
        read_hello(c)
        MODES[mode](c)
    except OSError:
        pass  # the checker hung up: what it should do
    finally:
        c.close()


def listen(s, mode, conns):
    while True:
        c, _ = s.accept()
        with open(conns, "a") as f:
            f.write("%f\n" % time.time())
        threading.Thread(target=serve, args=(c, mode), daemon=True).start()


def main():
    outdir, args = sys.argv[1], sys.argv[2:]
    if not args or len(args) % 4 != 0:
        sys.exit(__doc__)
    threads = []
    for i in range(0, len(args), 4):
        name, mode, addr, port = args[i:i + 4]
        if mode not in MODES:
            sys.exit("unknown mode " + mode)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, int(port)))
        s.listen(64)
        conns = os.path.join(outdir, name + ".conns")
        threads.append(threading.Thread(target=listen,
                                         args=(s, mode, conns), daemon=True))
    for t in threads:
        t.start()
    open(os.path.join(outdir, "ready"), "w").close()
    for t in threads:
        t.join()


if __name__ == "__main__":
    main()
