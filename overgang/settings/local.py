"""Developer machine: DEBUG on unless told otherwise, embedded SQLite, mail to files."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: E402,F403
