#!/usr/bin/env python3
"""The Python peer: the standard library's ssl module, written the way Python code usually is.

    client.py HOST TLS_PORT SMTP_PORT CA.pem WORKLOAD SIZE

Same workloads and output as the C client (C/client.c). Lines are read with file.readline over
sock.makefile("rb"), Python's usual line reader.
"""
import json
import os
import resource
import socket
import ssl
import sys
import time

CHUNK = 64 * 1024


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * (os.sysconf("SC_PAGESIZE") // 1024)


def main():
    host, tls_port, smtp_port, ca, workload, size = sys.argv[1:7]
    tls_port, smtp_port, size = int(tls_port), int(smtp_port), int(size)
    context = ssl.create_default_context(cafile=ca)

    def tcp(port):
        sock = socket.create_connection((host, port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def connect():
        return context.wrap_socket(tcp(tls_port), server_hostname="localhost")

    if workload == "bulk":
        conn = connect()
        data = b"y" * CHUNK
        buf = bytearray(CHUNK)
        c0, t0 = cpu_seconds(), time.perf_counter()
        conn.sendall(b"BULK %d\n" % size)
        sent = 0
        while sent < size:
            n = min(CHUNK, size - sent)
            conn.sendall(data if n == CHUNK else data[:n])
            sent += n
        got = 0
        while got < size:
            n = conn.recv_into(buf)
            if n == 0:
                raise SystemExit("closed early")
            got += n
        seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        conn.close()
        print(json.dumps({"seconds": seconds, "cpu": cpu, "bytes": 2 * size}))
    elif workload == "handshakes":
        connect().close()
        t0 = time.perf_counter()
        for _ in range(size):
            conn = connect()
            conn.close()
        print(json.dumps({"seconds": time.perf_counter() - t0, "count": size}))
    elif workload == "starttls":
        def reply(f):
            while True:
                line = f.readline()
                if len(line) < 4:
                    raise SystemExit("bad reply %r" % line)
                if line[3:4] == b" ":
                    return int(line[:3])

        connect().close()
        t0 = time.perf_counter()
        for _ in range(size):
            sock = tcp(smtp_port)
            f = sock.makefile("rb")
            assert reply(f) == 220
            sock.sendall(b"EHLO client.localhost\r\n")
            assert reply(f) == 250
            sock.sendall(b"STARTTLS\r\n")
            assert reply(f) == 220
            f.close()
            conn = context.wrap_socket(sock, server_hostname="localhost")
            f = conn.makefile("rb")
            conn.sendall(b"EHLO client.localhost\r\n")
            assert reply(f) == 250
            conn.sendall(b"QUIT\r\n")
            assert reply(f) == 221
            f.close()
            conn.close()
        print(json.dumps({"seconds": time.perf_counter() - t0, "count": size}))
    elif workload == "lines":
        conn = connect()
        f = conn.makefile("rb")
        t0 = time.perf_counter()
        conn.sendall(b"LINES %d\n" % size)
        total = lines = check = 0
        for line in iter(f.readline, b""):
            total += len(line)
            lines += 1
            check += line[4] if len(line) > 6 else 0
        seconds = time.perf_counter() - t0
        f.close()
        conn.close()
        print(json.dumps({"seconds": seconds, "bytes": total, "lines": lines, "check": check}))
    elif workload == "idle":
        connect().close()
        before = rss_kb()
        conns = []
        for _ in range(size):
            conn = connect()
            conn.sendall(b"IDLE\n")
            conns.append(conn)
        after = rss_kb()
        for conn in conns:
            conn.close()
        print(json.dumps({"rss_before_kb": before, "rss_after_kb": after, "count": size}))
    else:
        raise SystemExit("unknown workload " + workload)


if __name__ == "__main__":
    main()
