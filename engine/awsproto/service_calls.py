"""The AWS actions' calls into engine.services, with service errors mapped to AWS's."""
from __future__ import annotations
