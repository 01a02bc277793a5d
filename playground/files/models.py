"""Uploads: a visitor's file, owned like a run (account, session or owner token), kept in its own folder."""
from django.conf import settings
from django.db import models

from playground.data.uploads import KINDS


class Upload(models.Model):
    kind = models.CharField(max_length=8, choices=[(kind, kind) for kind in KINDS])
    name = models.CharField(max_length=200, blank=True)  # the file's name as sent, shown back as text
    summary = models.JSONField()
    size = models.BigIntegerField()  # bytes as sent
    # Owned as runs are (playground/runs/access.py): account, else session, and the owner token's SHA-256.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    owner_token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    client_address = models.CharField(max_length=64, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"upload {self.pk} ({self.kind})"
