from django.urls import path

from playground.classroom.consumers import DashboardConsumer

websocket_urlpatterns = [path("ws/assignments/<int:assignment_id>/", DashboardConsumer.as_asgi())]
