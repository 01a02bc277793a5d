"""The Django admin grants the teacher role (Accounts) and lists personal tokens (never their secrets)."""
from django.contrib import admin

from playground.accounts.models import Account, ApiToken


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("user", "role")
    list_filter = ("role",)
    list_editable = ("role",)
    search_fields = ("user__username", "user__email")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "start", "created", "last_used")
    readonly_fields = ("user", "name", "start", "digest", "created", "last_used")
