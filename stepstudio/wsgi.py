"""WSGI entry point, for deployments without websockets (the live view needs asgi.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")

application = get_wsgi_application()
