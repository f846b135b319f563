"""One logging set-up for the command line and for every API worker process (workers do not inherit the parent's)."""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"


def configure_logging(level: str) -> None:
    """Log to stderr at `level`, tagged with the process id; a no-op where logging is already set up."""
    logging.basicConfig(level=level, format=FORMAT)
