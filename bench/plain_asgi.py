"""Django's ASGI application alone, without stepstudio.asgi's body limits: the peer that
bench/uploads.py --peer measures against (what the web process did before the limits)."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stepstudio.settings")
application = get_asgi_application()
