import os

from celery import shared_task


@shared_task(ignore_result=False)
def ping(text: str = "ping") -> dict:
    """Round-trip probe: proves a worker consumes from the configured broker and answers."""
    return {"pong": text, "pid": os.getpid()}
