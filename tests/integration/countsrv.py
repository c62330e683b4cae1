# A TCP server for the engine tests (38-checker-ping.t, 39-lvsd-engine.t)
# that logs each connection as one letter: N if the client sent a line (a
# simpletcp negotiate, answered "OK here"), C if it closed without a byte
# (a connect probe).
#
#   python3 countsrv.py ADDR PORT LOGFILE READYFILE
import socket, sys
addr, port, log, ready = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((addr, port))
s.listen(64)
open(ready, "w").close()
while True:
    c, _ = s.accept()
    c.settimeout(5)
    try:
        data = c.recv(1024)
        if data:
            c.sendall(b"OK here\n")
    except OSError:
        data = b""
    c.close()
    with open(log, "a") as f:
        f.write("N" if data else "C")
