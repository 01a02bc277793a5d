"""ASGI entry point: pages and API over HTTP, run streams over WebSockets.

Serve with ``python -m playground.server`` (Daphne with deadlines for slow
clients) or ``manage.py runserver``; with the local executor, the training
processes start with it.
"""
import asyncio
import gc
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")
autostart = os.environ.get("LAYERLAB_AUTOSTART", "1") != "0"

from django.conf import settings  # noqa: E402

# A web node of the scale-out mode trains nothing but answers short jobs from its own pool.
if autostart and settings.LAYERLAB_EXECUTOR in ("local", "celery"):
    from playground.runs.worker import start_fork_server

    start_fork_server()  # it imports PyTorch for the training processes while this process sets up

from django.core.asgi import get_asgi_application  # noqa: E402

django_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from playground.limits import BodyLimits, BodySizeLimit  # noqa: E402
from playground.runs.executor import get_executor  # noqa: E402
from playground.classroom.routing import websocket_urlpatterns as classroom_sockets  # noqa: E402
from playground.runs.jobs import get_job_pool  # noqa: E402
from playground.runs.routing import websocket_urlpatterns as run_sockets  # noqa: E402
from playground.static import StaticFiles  # noqa: E402


class AttachLoop:
    """Tells the executor which event loop serves requests, so its thread can publish on it."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        executor = get_executor()
        if hasattr(executor, "attach_loop"):
            executor.attach_loop(asyncio.get_running_loop())
        return await self.app(scope, receive, send)


application = AttachLoop(
    ProtocolTypeRouter(
        {
            # The embedded default has no proxy in front, so Daphne serves /static/ itself.
            "http": BodySizeLimit(StaticFiles(django_app), BodyLimits.from_settings()),
            # Sessions only: the run's consumer looks the user up when it needs to (runs/consumers.py).
            "websocket": AllowedHostsOriginValidator(SessionMiddlewareStack(URLRouter(run_sockets + classroom_sockets))),
        }
    )
)


def end_with_the_server(*parts) -> None:
    """Daphne stops its reactor on SIGTERM and Ctrl-C: the executor and the job pool end their processes first."""
    reactor = sys.modules.get("twisted.internet.reactor")  # imported by Daphne, never here
    if reactor is not None:
        for part in parts:
            reactor.addSystemEventTrigger("before", "shutdown", part.shutdown)


if autostart:
    get_executor().start()
    if settings.LAYERLAB_EXECUTOR in ("local", "celery"):  # its fork server is running: short jobs fork from it too
        get_job_pool().start()
    end_with_the_server(get_executor(), get_job_pool())

# What start-up loads (Django, the URL conf and with it PyTorch) lives as long as the server.
# Frozen, it is left out of the collector's full passes, which otherwise scan it every few
# seconds and pause every socket for a quarter of a second.
get_resolver().url_patterns
gc.freeze()

# The port opens once a training process is ready, so the first click trains at once.
if autostart and not get_executor().wait_ready(timeout=30):
    import logging

    logging.getLogger("playground").warning("no training process was ready after 30 s; serving anyway")
