"""A user's role and personal API tokens (the user itself is Django's)."""
import hashlib
import secrets

from django.conf import settings
from django.db import models

ROLES = ("student", "teacher")
# Personal tokens carry this prefix, so a Bearer token is told apart from a run's owner token unread.
TOKEN_PREFIX = "llp_"


def new_api_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def api_token_digest(token: str) -> str:
    """What the database keeps of a personal token: its SHA-256 (a copy of the database signs nobody in)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Account(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    role = models.CharField(max_length=8, choices=[(r, r) for r in ROLES], default="student")

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    # The first characters, shown in the list so that a person can tell their tokens apart.
    start = models.CharField(max_length=12)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"token {self.start}… of {self.user}"
