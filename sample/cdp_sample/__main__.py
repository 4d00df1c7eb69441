"""python -m cdp_sample: the same as cdp-generate."""

from cdp_sample.cli import main

raise SystemExit(main())
