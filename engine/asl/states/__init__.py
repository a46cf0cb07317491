"""One module per state type; importing this package registers them all in `base.TYPES`."""
from . import base, choice, fail, map, parallel, pass_, succeed, task, wait  # noqa: F401

TYPES = base.TYPES
