"""CreateTask: submit a job to the job service. An AWS Lambda function, unchanged."""
import logging

from examples.job_poller import jobs

logger = logging.getLogger(__name__)


def lambda_handler(event, context):
    job = jobs.submit(event or {})
    logger.info("request %s submitted %s", context.aws_request_id, job["taskId"])
    return {"taskId": job["taskId"], "status": job["status"]}
