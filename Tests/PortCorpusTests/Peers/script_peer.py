#!/usr/bin/env python3
"""A scripted TLS server on loopback for the port-corpus tests, built on Python's ssl module.

Usage: script_peer.py SCRIPT.json

The JSON object holds "cert" and "key" (PEM file paths), "tls" ("1.2", "1.3" or "any") and "steps",
a list run in order on one accepted connection:
  {"op": "tls"}                      wrap the connection in TLS now (server side); steps before it are plain text
  {"op": "expect", "hex": "..."}     read until these bytes have arrived (anything before them is skipped)
  {"op": "send", "hex": "..."}       send these bytes
The server prints "PORT <n>" once listening, handles one connection, and exits 0 once every step ran
(printing "DONE"), or 1 with the reason on standard error. Every wait is bounded.
"""
import json
import socket
import ssl
import sys

BOUND_SECONDS = 15


def fail(reason):
    print("FAIL: " + reason, file=sys.stderr, flush=True)
    sys.exit(1)


def context_for(script):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(script["cert"], script["key"])
    versions = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
    if script["tls"] in versions:
        context.minimum_version = versions[script["tls"]]
        context.maximum_version = versions[script["tls"]]
    else:
        context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def main():
    with open(sys.argv[1]) as f:
        script = json.load(f)
    context = context_for(script)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(BOUND_SECONDS)
    print("PORT %d" % listener.getsockname()[1], flush=True)
    try:
        connection, _ = listener.accept()
    except socket.timeout:
        fail("no client connected")
    connection.settimeout(BOUND_SECONDS)
    received = b""
    for number, step in enumerate(script["steps"]):
        op = step["op"]
        try:
            if op == "tls":
                if received:
                    fail("plain bytes left before the handshake: %r" % received)
                connection = context.wrap_socket(connection, server_side=True)
            elif op == "send":
                connection.sendall(bytes.fromhex(step["hex"]))
            elif op == "expect":
                wanted = bytes.fromhex(step["hex"])
                while wanted not in received:
                    chunk = connection.recv(4096)
                    if not chunk:
                        fail("step %d: connection closed, waiting for %r after %r" % (number, wanted, received))
                    received += chunk
                received = received[received.index(wanted) + len(wanted):]
            else:
                fail("unknown step %r" % op)
        except (OSError, ssl.SSLError) as error:
            fail("step %d (%s): %s" % (number, op, error))
    print("DONE", flush=True)
    # Let the client finish (it closes first); a bound keeps a client that stays from holding the peer.
    try:
        while connection.recv(4096):
            pass
    except (OSError, ssl.SSLError):
        pass
    connection.close()


if __name__ == "__main__":
    main()
