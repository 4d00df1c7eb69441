"""`python -m cdp_orchestration.ui` (`make ui`): the Dagster UI on the dev target, with the local fake
destinations running beside it, on the persistent instance the demo writes to (so its runs are there).

`dagster dev` prepares the dbt manifest at load (`prepare_if_dev`) and runs the daemon, so the daily schedule
and the landing sensor (off until switched on in the UI) work as deployed.
"""

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from cdp_orchestration.demo import ensure_instance, local_destinations
from cdp_orchestration.warehouse import PROJECT_DIR, data_dir


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", default="dev", choices=["dev", "ci"])
    parser.add_argument("--port", type=int, default=3000, help="port of the Dagster UI")
    parser.add_argument(
        "--fakes-port", type=int, default=8787, help="port of the fake ESP, ad platform, webhook"
    )
    args = parser.parse_args(argv)
    os.environ["CDP_TARGET"] = args.target
    ensure_instance(Path(os.environ.get("DAGSTER_HOME") or data_dir() / "dagster_home"))
    with local_destinations(port=args.fakes_port) as fakes:
        print(f"fake destinations on {fakes.url}; Dagster UI on http://127.0.0.1:{args.port}", flush=True)
        dagster = Path(sys.executable).with_name("dagster")
        command = [str(dagster), "dev", "-m", "cdp_orchestration.definitions", "-p", str(args.port)]
        try:
            completed = subprocess.run(command, cwd=PROJECT_DIR, check=False)
        except KeyboardInterrupt:
            completed = None
    sys.exit(completed.returncode if completed else 0)


if __name__ == "__main__":
    main()
