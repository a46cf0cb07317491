"""The job poller: three AWS Lambda functions and the state machine that drives them.

    STEPSTUDIO_HANDLERS=examples.job_poller make run

Importing this package registers the functions, unchanged, under the names the state
machine (job_poller.asl.json) calls. The same could be said without this file:
STEPSTUDIO_LAMBDA_FUNCTIONS="create-task=examples.job_poller.create_task:lambda_handler,…".
"""
from engine.asl.handlers import register_lambda

from . import check_task_status, create_task, task_completed

register_lambda("create-task", create_task.lambda_handler,
                description="Submit a job to the job service; returns its taskId.")
register_lambda("check-task-status", check_task_status.lambda_handler,
                description="Ask the job service for a job's status (RUNNING, SUCCEEDED, FAILED).")
register_lambda("task-completed", task_completed.lambda_handler,
                description="Handle a finished job: a summary of what ran.")
