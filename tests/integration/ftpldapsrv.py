"""Scripted hostile ftp and ldap servers for 35-checker-ftp-ldap.t.

    ftpldapsrv.py ADDR PORT MODE READY

MODE:
    ftp-foreign   a good file, but PASV names another host (127.0.35.9):
                  the data port listens on ADDR only
    ftp-flood     PASV is honest, the file is 1 MiB
    ftp-badpasv   PASV answers 227 without a port
    ldap-garbage  answers the bind with a message claiming 2 GiB
    ldap-two      binds, then finds two entries for a base search
    ldap-open     binds, finds one entry (dc=open), and keeps the
                  connection open after the unbind
READY is created once it listens.
"""
import socket
import sys
import threading
import time

addr, port, mode, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]


def ftp_lines(c):
    buf = b""
    while True:
        while b"\n" not in buf:
            chunk = c.recv(4096)
            if not chunk:
                return
            buf += chunk
        line, buf = buf.split(b"\n", 1)
        yield line.rstrip(b"\r")


def ftp(c):
    data = socket.socket()
    data.bind((addr, 0))
    data.listen(1)
    p = data.getsockname()[1]
    c.sendall(b"220-hostile ftp\r\n220 ready\r\n")
    for line in ftp_lines(c):
        verb = line.split(b" ")[0].upper()
        if verb == b"USER":
            c.sendall(b"331 password\r\n")
        elif verb == b"PASS":
            c.sendall(b"230 in\r\n")
        elif verb == b"TYPE":
            c.sendall(b"200 binary\r\n")
        elif verb == b"PASV" and mode == "ftp-badpasv":
            c.sendall(b"227 Entering Passive Mode (1,2,3)\r\n")
        elif verb == b"PASV":
            host = "127,0,35,9" if mode == "ftp-foreign" else addr.replace(".", ",")
            c.sendall(b"227 Entering Passive Mode (%s,%d,%d).\r\n"
                      % (host.encode(), p >> 8, p & 255))
        elif verb == b"RETR":
            d, _ = data.accept()
            c.sendall(b"150 here it comes\r\n")
            try:
                if mode == "ftp-flood":
                    d.sendall(b"x" * (1 << 20))
                else:
                    d.sendall(b"hostile ok\n")
            except OSError:
                pass
            d.close()
            c.sendall(b"226 done\r\n")
        elif verb == b"QUIT":
            c.sendall(b"221 bye\r\n")
            return
        else:
            c.sendall(b"500 what\r\n")


def ldap_result(msgid, op, code=0):
    body = b"\x0a\x01" + bytes([code]) + b"\x04\x00\x04\x00"
    return (b"\x30" + bytes([5 + len(body)]) + b"\x02\x01" + bytes([msgid])
            + bytes([op, len(body)]) + body)


def ldap_entry(msgid, dn):
    body = b"\x04" + bytes([len(dn)]) + dn + b"\x30\x00"
    return (b"\x30" + bytes([5 + len(body)]) + b"\x02\x01" + bytes([msgid])
            + bytes([0x64, len(body)]) + body)


def ldap(c):
    c.recv(4096)  # the bind
    if mode == "ldap-garbage":
        c.sendall(b"\x30\x84\x7f\xff\xff\xff\x02\x01\x01")
        c.recv(4096)
        return
    c.sendall(ldap_result(1, 0x61))
    c.recv(4096)  # the search
    if mode == "ldap-open":
        c.sendall(ldap_entry(2, b"dc=open") + ldap_result(2, 0x65))
        c.recv(4096)  # the unbind
        time.sleep(60)  # a half-close from the checker is no reason to go
        return
    c.sendall(ldap_entry(2, b"dc=one") + ldap_entry(2, b"dc=two")
              + ldap_result(2, 0x65))
    c.recv(4096)


def serve(c):
    try:
        ftp(c) if mode.startswith("ftp") else ldap(c)
    except OSError:
        pass
    c.close()


s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(16)
open(ready, "w").close()
while True:
    conn, _ = s.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
