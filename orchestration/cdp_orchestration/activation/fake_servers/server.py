"""One threaded HTTP server hosting the Klaviyo-like, Meta-like and webhook fakes, plus debug endpoints.

- `GET /_debug/state`: what each fake holds (profiles and lists, audiences and sessions, webhook records)
  and how many requests it received.
- `POST /_debug/faults`: `{"route": "klaviyo.list_add", "faults": [{"status": 429, "retry_after": 1}]}`
  queues faults for the next requests of a route (routes: klaviyo.profile_import, klaviyo.list_add,
  klaviyo.list_remove, klaviyo.deletion, meta.add, meta.remove, webhook). `{"status": null, "delay": 5}`
  answers normally but late (client time-outs).
- `POST /_debug/reject`: `{"klaviyo_emails": {...}, "meta_values": {...}, "webhook_keys": {...}}` sets the
  values each fake refuses, with the reason (partial batch failures).
- `POST /_debug/reset`: forget everything.
"""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cdp_orchestration.activation.fake_servers.base import (
    Fault,
    Received,
    Recorder,
    Response,
    fault_response,
    parse_json,
)
from cdp_orchestration.activation.fake_servers.klaviyo import FakeKlaviyo
from cdp_orchestration.activation.fake_servers.meta import FakeMeta
from cdp_orchestration.activation.fake_servers.webhook import FakeWebhookReceiver


class FakeServers:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        klaviyo_api_key: str = "pk_test",
        meta_access_token: str = "meta_test_token",
        webhook_secret: str = "whsec_test",
    ) -> None:
        self.recorder = Recorder()
        self._secrets = (klaviyo_api_key, meta_access_token, webhook_secret)
        self._make_fakes()
        self._httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    def _make_fakes(self) -> None:
        klaviyo_api_key, meta_access_token, webhook_secret = self._secrets
        self.klaviyo = FakeKlaviyo(klaviyo_api_key)
        self.meta = FakeMeta(meta_access_token)
        self.webhook = FakeWebhookReceiver(webhook_secret)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServers:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-servers", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FakeServers:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def inject(self, route: str, *faults: Fault) -> None:
        self.recorder.inject(route, *faults)

    def received(self, route: str | None = None, *, status: int | None = None) -> list[Received]:
        return self.recorder.received(route, status=status)

    def reset(self) -> None:
        with self.recorder.lock:
            self.recorder.reset()
            self._make_fakes()

    def snapshot(self) -> dict[str, Any]:
        with self.recorder.lock:
            return {
                "klaviyo": self.klaviyo.snapshot(),
                "meta": self.meta.snapshot(),
                "webhook": self.webhook.snapshot(),
                "requests": len(self.recorder.requests),
            }

    def dispatch(self, method: str, path: str, headers: dict[str, str], raw: bytes) -> Response:
        path = path.split("?", 1)[0]
        if path.startswith("/_debug/"):
            return self._debug(method, path, parse_json(raw))
        body = parse_json(raw)
        for fake in (self.klaviyo, self.meta, self.webhook):
            route = fake.route(method, path)
            if route is None:
                continue
            fault = self.recorder.next_fault(route)
            if fault and fault.delay:
                time.sleep(fault.delay)
            with self.recorder.lock:
                if fault and fault.status is not None:
                    response = fault_response(fault, fake.error_body(fault.status))
                elif isinstance(fake, FakeWebhookReceiver):
                    response = fake.handle_raw(headers, raw, body)
                else:
                    response = fake.handle(route, path, headers, body)
                self.recorder.record(Received(route, method, path, headers, body, response.status))
            return response
        return Response(404, {"error": f"no fake serves {method} {path}"})

    def _debug(self, method: str, path: str, body: Any) -> Response:
        if method == "GET" and path == "/_debug/state":
            return Response(200, self.snapshot())
        if method == "POST" and path == "/_debug/faults":
            self.inject(body["route"], *(Fault(**f) for f in body.get("faults", [])))
            return Response(204)
        if method == "POST" and path == "/_debug/reject":
            with self.recorder.lock:
                self.klaviyo.reject_emails = dict(body.get("klaviyo_emails", {}))
                self.meta.reject_values = dict(body.get("meta_values", {}))
                self.webhook.reject_keys = dict(body.get("webhook_keys", {}))
            return Response(204)
        if method == "POST" and path == "/_debug/reset":
            self.reset()
            return Response(204)
        return Response(404, {"error": f"unknown debug endpoint {method} {path}"})


def _handler_for(servers: FakeServers) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Whole responses in one write, no Nagle delay: keep-alive round trips stay sub-millisecond.
        wbufsize = 1 << 16
        disable_nagle_algorithm = True

        def _serve(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            response = servers.dispatch(self.command, self.path, headers, raw)
            payload = response.encoded()
            # A client that timed out has gone: writing to it fails, which is the point of a slow answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.send_response(response.status)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the recorder keeps the requests."""

    return Handler
