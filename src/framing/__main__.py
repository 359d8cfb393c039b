"""``python -m framing``: the same command as ``framing``."""
from .cli import main

raise SystemExit(main())
