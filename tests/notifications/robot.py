"""A local HTTP server standing in for a WeCom/DingTalk group robot."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class RobotServer:
    """Answers each POST with the next scripted (status, json) pair; the last one repeats."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict]] = [(200, {"errcode": 0, "errmsg": "ok"})]
        self.delay = 0.0
        self.received: list[dict] = []
        self.paths: list[str] = []
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                robot.received.append(json.loads(self.rfile.read(length) or b"{}"))
                robot.paths.append(self.path)
                index = min(len(robot.received) - 1, len(robot.script) - 1)
                status, answer = robot.script[index]
                if robot.delay:
                    time.sleep(robot.delay)
                body = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args):  # keep pytest output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return (
            f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=SECRET-KEY"
        )

    def answer(self, *script: tuple[int, dict] | int) -> None:
        self.script = [
            (item, {"errcode": 0} if item < 400 else {"errmsg": "boom"})
            if isinstance(item, int)
            else item
            for item in script
        ]


@pytest.fixture
def robot():
    server = RobotServer()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
