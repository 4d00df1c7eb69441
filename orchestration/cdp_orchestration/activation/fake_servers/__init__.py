"""Local fakes of the HTTP destinations, for tests and for `make demo`.

`python -m cdp_orchestration.activation.fake_servers --port 8787` serves all three until interrupted.
"""

from cdp_orchestration.activation.fake_servers.base import Fault, Received
from cdp_orchestration.activation.fake_servers.server import FakeServers

__all__ = ["FakeServers", "Fault", "Received"]
