"""Who is a teacher: an account whose role says so (granted in the Django admin), or a superuser."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from playground.accounts.models import Account


def role_of(user) -> str:
    if user is None or not user.is_authenticated:
        return "anonymous"
    if user.is_superuser:
        return "teacher"
    role = Account.objects.filter(user=user).values_list("role", flat=True).first()
    return role or "student"


def is_teacher(user) -> bool:
    return role_of(user) == "teacher"


def new_account(user) -> Account:
    """The role of a new user: student, unless LAYERLAB_FIRST_USER_IS_TEACHER and nobody else has signed up."""
    first = settings.LAYERLAB_FIRST_USER_IS_TEACHER and not get_user_model().objects.exclude(pk=user.pk).exists()
    return Account.objects.create(user=user, role="teacher" if first else "student")
