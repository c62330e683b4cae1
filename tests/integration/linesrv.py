"""A scripted line-protocol server for the checker's tests.

    linesrv.py ADDR PORT MODE LOG READY

Plays one side of smtp, pop, imap, nntp or simpletcp (MODE below), well
or badly, and appends every line it receives to LOG (one per line, as
Python's repr of the bytes), so that a test can see what the checker
sent.  READY is created once it listens.
"""
import socket
import sys
import threading
import time

addr, port, mode, log, ready = sys.argv[1:6]
lock = threading.Lock()


def note(data):
    with lock, open(log, "a") as f:
        f.write(repr(data) + "\n")


def lines(c):
    buf = b""
    while True:
        while b"\n" not in buf:
            chunk = c.recv(4096)
            if not chunk:
                if buf:
                    note(buf)
                return
            buf += chunk
        line, buf = buf.split(b"\n", 1)
        note(line + b"\n")
        yield line.rstrip(b"\r")


def smtp(c, ehlo_ok=True):
    c.sendall(b"220-mx.example.org\r\n220 ready\r\n")
    for line in lines(c):
        verb = line.split(b" ")[0].upper()
        if verb == b"EHLO" and ehlo_ok:
            c.sendall(b"250-mx.example.org\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
        elif verb == b"EHLO":
            c.sendall(b"502 5.5.2 no EHLO here\r\n")
        elif verb == b"HELO":
            c.sendall(b"250 mx.example.org\r\n")
        elif verb == b"QUIT":
            c.sendall(b"221 bye\r\n")
            return
        else:
            c.sendall(b"500 what\r\n")


def pop(c):
    c.sendall(b"+OK POP3 ready\r\n")
    user = None
    for line in lines(c):
        verb, _, arg = line.partition(b" ")
        verb = verb.upper()
        if verb == b"USER":
            user = arg
            c.sendall(b"+OK\r\n")
        elif verb == b"PASS":
            good = user == b"probe" and arg == b"s3cret"
            c.sendall(b"+OK logged in\r\n" if good else b"-ERR [AUTH] no\r\n")
        elif verb == b"QUIT":
            c.sendall(b"+OK bye\r\n")
            return
        else:
            c.sendall(b"-ERR what\r\n")


def imap(c):
    c.sendall(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
    for line in lines(c):
        tag, _, rest = line.partition(b" ")
        verb = rest.split(b" ")[0].upper()
        if verb == b"LOGIN":
            good = rest == b'LOGIN "probe" "s3\\"cret"'
            c.sendall(b"* CAPABILITY IMAP4rev1 IDLE\r\n")
            c.sendall(tag + (b" OK logged in\r\n" if good
                             else b" NO [AUTHENTICATIONFAILED] no\r\n"))
        elif verb == b"LOGOUT":
            c.sendall(b"* BYE\r\n" + tag + b" OK bye\r\n")
            return
        else:
            c.sendall(tag + b" BAD what\r\n")


def nntp(c, code=b"200"):
    c.sendall(code + b" news.example.org ready\r\n")
    for line in lines(c):
        if line.upper() == b"QUIT":
            c.sendall(b"205 bye\r\n")
            return


def simpletcp(c):
    got = b""
    while True:
        chunk = c.recv(4096)
        if not chunk:
            break
        got += chunk
    note(got)
    c.sendall(b"hello\r\nPONG " + str(len(got)).encode() + b"\r\n")


def longline(c):
    c.sendall(b"220 " + b"x" * 100000)
    time.sleep(30)


def flood(c):
    try:
        for _ in range(10000):
            c.sendall(b"220-" + b"y" * 60 + b"\r\n")
    except OSError:
        pass


def silent(c):
    time.sleep(30)


def slow(c):
    try:
        for b in b"220 slow greeting\r\n":
            c.sendall(bytes([b]))
            time.sleep(1)
    except OSError:
        pass


def control(c):
    c.sendall(b"554 \x1b[31mforged\nlog line\x07\r\n")


MODES = {
    "smtp": smtp,
    "smtp-helo": lambda c: smtp(c, ehlo_ok=False),
    "smtp-busy": lambda c: c.sendall(b"554 5.3.2 busy\r\n"),
    "pop": pop,
    "imap": imap,
    "nntp": nntp,
    "nntp-no": lambda c: nntp(c, b"502"),
    "simpletcp": simpletcp,
    "longline": longline,
    "flood": flood,
    "silent": silent,
    "slow": slow,
    "control": control,
}


def serve(c):
    try:
        MODES[mode](c)
    except OSError:
        pass
    finally:
        c.close()


family = socket.AF_INET6 if ":" in addr else socket.AF_INET
s = socket.socket(family)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, int(port)))
s.listen(64)
open(ready, "w").close()
while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
