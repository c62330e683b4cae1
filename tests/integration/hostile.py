#!/usr/bin/env python3
"""Hostile real servers for tests/integration/32-checker-hostile.t.

    hostile.py DIR NAME MODE ADDR PORT [NAME MODE ADDR PORT ...]

For each group of four, listens on ADDR:PORT and answers every connection
the way MODE says. Each accepted connection appends one line to
DIR/NAME.conns; DIR/ready appears once every server listens. One thread
per listener and per connection, so a slow client never holds up
another.

Modes:
    garbage     4 KiB of random bytes instead of a reply
    bigbody     "200 OK" and a body of 100 MiB, as fast as it goes
    header      "200 OK", then header lines without end
    headerline  "200 OK", then one header line without end
    slowloris   a valid reply, one byte per second
    tls         a TLS ServerHello with random contents, then a close
    reset       half a reply, then a reset (RST) instead of the rest
    digits      "200 OK" and 64000 digits, the worst case of a receive
                expression like "[0-9]+:(up|down)" for glibc's regexec

And two that are not hostile but never close (30-checker.t), so that
only the framing of their reply can end a probe in time:
    keepalive   "200 OK" and a body of Content-Length bytes, "OK\n"
    chunked     "200 OK" and the body in chunks, with an extension and
                a trailer

And one that is slow but fine (30-checker-fdlimit.t), so that many
probes are in flight at once:
    late        "200 OK" and "OK\n" a second after the request, then a
                close
"""
import os
import socket
import struct
import sys
import threading
import time

MIB = 1024 * 1024


def read_request(c):
    """Read the request head, or what arrives within five seconds."""
    c.settimeout(5)
    data = b""
    try:
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = c.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    c.settimeout(None)


def garbage(c):
    c.sendall(os.urandom(4096))


def bigbody(c):
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (100 * MIB))
    chunk = b"x" * MIB
    for _ in range(100):
        c.sendall(chunk)


def header(c):
    c.sendall(b"HTTP/1.1 200 OK\r\n")
    line = b"X-Junk: " + b"a" * 1000 + b"\r\n"
    while True:
        c.sendall(line * 16)


def headerline(c):
    c.sendall(b"HTTP/1.1 200 OK\r\nX-Junk: ")
    chunk = b"a" * 16384
    while True:
        c.sendall(chunk)


def slowloris(c):
    reply = b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nOK\n"
    for i in range(len(reply)):
        c.sendall(reply[i:i + 1])
        time.sleep(1)


def tls(c):
    # handshake record, ServerHello, TLS 1.2, the rest random
    body = b"\x03\x03" + os.urandom(32) + b"\x20" + os.urandom(32) + \
        b"\xc0\x2f\x00\x00\x00"
    hello = b"\x02" + struct.pack(">I", len(body))[1:] + body
    c.sendall(b"\x16\x03\x03" + struct.pack(">H", len(hello)) + hello)
    c.sendall(b"\x15\x03\x03\x00\x02\x02\x28")


def reset(c):
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nOK")
    time.sleep(0.2)
    # linger 0: close() sends RST, not FIN
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def digits(c):
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 64000\r\n\r\n" +
              b"7" * 64000)


def keepalive(c):
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nOK\n")
    time.sleep(60)


def chunked(c):
    c.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"1;ext=1\r\nO\r\n")
    time.sleep(0.1)
    c.sendall(b"2\r\nK\n\r\n0\r\nX-Trailer: 1\r\n\r\n")
    time.sleep(60)


def late(c):
    time.sleep(1)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nOK\n")


MODES = {
    "garbage": garbage, "bigbody": bigbody, "header": header,
    "headerline": headerline, "slowloris": slowloris, "tls": tls,
    "reset": reset, "digits": digits, "keepalive": keepalive,
    "chunked": chunked, "late": late,
}


def serve(c, handler, first_read):
    try:
        first_read(c)
        handler(c)
    except OSError:
        pass  # the checker hung up: what it should do
    finally:
        c.close()


def listen(s, handler, first_read, conns):
    while True:
        c, _ = s.accept()
        with open(conns, "a") as f:
            f.write("%f\n" % time.time())
        threading.Thread(target=serve, args=(c, handler, first_read),
                         daemon=True).start()


def run(argv, modes, first_read, usage):
    """Serve DIR NAME MODE ADDR PORT... as the docstrings describe.

    modes maps a mode's name to what it does with a connection, after
    first_read has read what the client sends first.
    """
    outdir, args = argv[1], argv[2:]
    if not args or len(args) % 4 != 0:
        sys.exit(usage)
    threads = []
    for i in range(0, len(args), 4):
        name, mode, addr, port = args[i:i + 4]
        if mode not in modes:
            sys.exit("unknown mode " + mode)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, int(port)))
        s.listen(512)
        conns = os.path.join(outdir, name + ".conns")
        threads.append(threading.Thread(
            target=listen, args=(s, modes[mode], first_read, conns),
            daemon=True))
    for t in threads:
        t.start()
    open(os.path.join(outdir, "ready"), "w").close()
    for t in threads:
        t.join()


if __name__ == "__main__":
    run(sys.argv, MODES, read_request, __doc__)
