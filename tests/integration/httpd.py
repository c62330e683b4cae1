#!/usr/bin/python3
"""A small HTTP real server for the integration tests (see lib.sh).

    httpd.py --bind ADDR --port PORT --dir DIR

Answers GET and HEAD with the file DIR/<path> ("/" means index.html), 404
when there is none. Files in DIR steer it while it runs:
    .status  a number: the status code of every answer (e.g. 500)
    .delay   seconds to wait before answering (checker timeouts)
It appends "METHOD PATH" to DIR/.log for each request and creates
DIR/.ready once it listens. Only standard modules that import fast.
"""

import argparse
import os
import socket
import socketserver
import threading
import time

REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found",
           400: "Bad Request", 403: "Forbidden", 404: "Not Found",
           500: "Internal Server Error", 501: "Not Implemented",
           502: "Bad Gateway", 503: "Service Unavailable"}


def read_control(directory, name, convert):
    try:
        with open(os.path.join(directory, name)) as f:
            return convert(f.read().strip())
    except (OSError, ValueError):
        return None


class Handler(socketserver.StreamRequestHandler):
    timeout = 10

    def handle(self):
        try:
            request = self.rfile.readline(8192).decode("latin-1")
            while True:  # the headers are not used
                line = self.rfile.readline(8192)
                if line in (b"\r\n", b"\n", b""):
                    break
        except (OSError, socket.timeout):
            return
        parts = request.split()
        if len(parts) < 2:
            self.respond(400, b"bad request\n", True)
            return
        method, target = parts[0], parts[1]
        self.server.log_request(method, target)
        if method not in ("GET", "HEAD"):
            self.respond(501, b"not implemented\n", True)
            return
        delay = read_control(self.server.directory, ".delay", float)
        if delay:
            time.sleep(delay)
        body, status = self.lookup(target)
        forced = read_control(self.server.directory, ".status", int)
        self.respond(forced or status, body, method == "GET")

    def lookup(self, target):
        path = target.split("?", 1)[0].lstrip("/") or "index.html"
        names = path.split("/")
        if any(n.startswith(".") or n == "" for n in names):
            return b"not found\n", 404
        try:
            with open(os.path.join(self.server.directory, *names), "rb") as f:
                return f.read(), 200
        except OSError:
            return b"not found\n", 404

    def respond(self, status, body, with_body):
        head = ("HTTP/1.0 %d %s\r\nServer: lvsd-test-httpd\r\n"
                "Content-Type: text/plain\r\nContent-Length: %d\r\n"
                "Connection: close\r\n\r\n"
                % (status, REASONS.get(status, "Status"), len(body)))
        try:
            self.wfile.write(head.encode("latin-1") + (body if with_body else b""))
        except OSError:
            pass


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, directory):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.directory = directory
        self.log_lock = threading.Lock()
        super().__init__(address, Handler)

    def log_request(self, method, target):
        with self.log_lock:
            with open(os.path.join(self.directory, ".log"), "a") as f:
                f.write("%s %s\n" % (method, target))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bind", required=True)
    parser.add_argument("--port", required=True, type=int)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    server = Server((args.bind.strip("[]"), args.port), args.dir)
    with open(os.path.join(args.dir, ".ready"), "w") as f:
        f.write("%d\n" % os.getpid())
    server.serve_forever()


if __name__ == "__main__":
    main()
