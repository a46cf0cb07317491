"""Activity workers for StepStudio (and AWS Step Functions): `from stepstudio_worker import Worker`.

    worker = Worker(endpoint_url="http://127.0.0.1:8000", concurrency=4)

    @worker.activity("approve")
    def approve(input, task):          # `task` (optional): token, heartbeat(), cancelled
        return {"approved": input["amount"] < 100}

    worker.run()                       # until SIGTERM / SIGINT; see README.md

Depends on boto3 only: it speaks the Step Functions API (GetActivityTask, SendTaskHeartbeat,
SendTaskSuccess, SendTaskFailure), so the same worker runs against AWS without an endpoint.
"""
from .worker import ActivityTask, TaskFailure, Worker

__all__ = ["ActivityTask", "TaskFailure", "Worker"]
__version__ = "1.0.0"
