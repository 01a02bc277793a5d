"""Account pages: sign in and up, password reset, personal tokens, and sign out (a plain form POST)."""
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_POST

from playground.studio.apps_pages import page


@require_POST
def sign_out(request):
    logout(request)
    return redirect("/")


urlpatterns = [
    path("account/signin", page("account", "signin", "Sign in", "account"), name="signin"),
    path("account/signup", page("account", "signup", "Sign up", "account"), name="signup"),
    path("account/reset", page("account", "reset", "Reset your password", "account"), name="password-reset"),
    path("account/reset/<str:uid>/<str:token>", page("account", "reset-confirm", "Choose a new password", "account")),
    path("account/tokens", page("account", "tokens", "API tokens", "account"), name="tokens"),
    path("account/signout", sign_out, name="signout"),
]
