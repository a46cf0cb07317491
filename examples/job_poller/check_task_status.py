"""CheckTaskStatus: ask the job service how the job is doing. An AWS Lambda function, unchanged.

When the service does not answer, the JobServiceUnavailable exception fails this invocation;
the state machine's Retry on that error name asks again (up to three times).
"""
from examples.job_poller import jobs


def lambda_handler(event, context):
    job = jobs.status(event["taskId"])
    return {"taskId": job["taskId"], "status": job["status"], "checks": job["checks"]}
