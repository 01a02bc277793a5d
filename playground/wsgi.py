"""WSGI entry point, for management tools only: the site itself needs ASGI (WebSockets)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
application = get_wsgi_application()
