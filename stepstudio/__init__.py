# Importing the Celery app here makes `@shared_task` bind to it in every process that loads
# Django (web server, manage.py commands), not only in the worker.
from stepstudio.celery import app as celery_app

__all__ = ["celery_app"]
