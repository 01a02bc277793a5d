"""A shared configuration: a task and its normalised configuration, kept under the slug of their content."""
from django.db import models


class SharedConfig(models.Model):
    slug = models.CharField(max_length=16, unique=True)
    task = models.CharField(max_length=32)
    config = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.slug} ({self.task})"
