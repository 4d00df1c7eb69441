"""Serve the fake Klaviyo, Meta and webhook APIs on one port until interrupted.

The secrets they expect are read from the same environment variables the destinations read
(CDP_KLAVIYO_API_KEY, CDP_META_ACCESS_TOKEN, CDP_WEBHOOK_SECRET), with test defaults.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import threading

from cdp_orchestration.activation.fake_servers.server import FakeServers


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8787)
    args = parser.parse_args(argv)
    servers = FakeServers(
        host=args.host,
        port=args.port,
        klaviyo_api_key=os.environ.get("CDP_KLAVIYO_API_KEY", "pk_test"),
        meta_access_token=os.environ.get("CDP_META_ACCESS_TOKEN", "meta_test_token"),
        webhook_secret=os.environ.get("CDP_WEBHOOK_SECRET", "whsec_test"),
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with servers:
        print(
            f"fake Klaviyo/Meta/webhook on {servers.url} (webhook at /webhook, state at /_debug/state)",
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()


if __name__ == "__main__":
    main()
