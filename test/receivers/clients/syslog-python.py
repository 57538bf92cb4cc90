"""Sends COUNT messages with Python's standard logging.handlers.SysLogHandler (the real client:
NUL-terminated messages, no LF, over TCP; one datagram with a trailing NUL each over UDP).
Usage: syslog-python.py udp|tcp PORT COUNT [SIZE]  (SIZE pads each message to about SIZE bytes)."""
import logging
import logging.handlers
import socket
import sys

transport, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = int(sys.argv[4]) if len(sys.argv) > 4 else 0
socktype = socket.SOCK_STREAM if transport == "tcp" else socket.SOCK_DGRAM
handler = logging.handlers.SysLogHandler(address=("127.0.0.1", port), socktype=socktype)
log = logging.getLogger("gastrolog-test")
log.propagate = False
log.addHandler(handler)
log.setLevel(logging.INFO)
for i in range(count):
    text = f"python {transport} message {i}"
    log.warning(text + " " + "x" * max(0, size - len(text) - 1) if size else text)
handler.close()
