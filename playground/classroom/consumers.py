"""The teacher's live dashboard: /ws/assignments/{id}/ sends every student's row whenever one changes.

Rows are read from the store once a second and sent only when they differ, so the
dashboard shows what the store holds (the truth) whatever the channel layer drops.
Only the course's teacher may open it; anyone else's socket closes with 4404.
"""
from __future__ import annotations

import asyncio
import json

from channels.auth import get_user
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from playground.classroom import scores
from playground.classroom.models import Assignment

INTERVAL = 1.0


def teachers_assignment(user, assignment_id: int) -> Assignment | None:
    if user is None or not user.is_authenticated:
        return None
    return Assignment.objects.select_related("course").filter(pk=assignment_id, course__teacher=user).first()


def rows_text(assignment: Assignment) -> str:
    return json.dumps({"type": "dashboard", "students": scores.dashboard(assignment)}, default=str)


class DashboardConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        user = await get_user(self.scope)
        assignment_id = int(self.scope["url_route"]["kwargs"]["assignment_id"])
        self.assignment = await database_sync_to_async(teachers_assignment)(user, assignment_id)
        await self.accept()
        if self.assignment is None:
            await self.close(code=4404)
            return
        self.sending = asyncio.create_task(self.send_changes())

    async def send_changes(self):
        last = None
        while True:
            text = await database_sync_to_async(rows_text)(self.assignment)
            if text != last:
                await self.send(text_data=text)
                last = text
            await asyncio.sleep(INTERVAL)

    async def disconnect(self, code):
        if hasattr(self, "sending"):
            self.sending.cancel()

    async def receive(self, text_data=None, bytes_data=None):
        pass  # the dashboard only listens
