"""Account routes (docs/api.md, "Accounts"): sign up, in and out, password reset, personal API tokens."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login, logout, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from ninja import Field, Router, Schema, Status

from playground.accounts import throttle
from playground.accounts.claims import claim_session
from playground.accounts.models import ApiToken, api_token_digest, new_api_token
from playground.accounts.roles import new_account, role_of
from playground.runs.access import client_address
from playground.runs.errors import ApiError
from playground.runs.schemas import BODY_ERRORS, WRITE_ERRORS, Body, answers

router = Router(tags=["accounts"])
User = get_user_model()


class MeOut(Schema):
    authenticated: bool
    username: str = ""
    email: str = ""
    role: str = Field(description="anonymous, student or teacher")


class SignUpIn(Body):
    username: str = Field(max_length=150)
    email: str = Field(max_length=254)
    password: str = Field(max_length=256)


class SignInIn(Body):
    username: str = Field(max_length=254, description="Your user name or e-mail address.")
    password: str = Field(max_length=256)


class ResetIn(Body):
    email: str = Field(max_length=254)


class ResetConfirmIn(Body):
    uid: str = Field(max_length=64)
    token: str = Field(max_length=128)
    password: str = Field(max_length=256)


class SentOut(Schema):
    sent: bool


class TokenIn(Body):
    name: str = Field(min_length=1, max_length=100, description="What the token is for, to tell it apart later.")


class TokenOut(Schema):
    id: int
    name: str
    start: str = Field(description="The token's first characters.")
    created: datetime
    last_used: Optional[datetime]


class CreatedTokenOut(TokenOut):
    token: str = Field(description="Send as Authorization: Bearer <token>; shown only now, keep it.")


def me(request) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {"authenticated": False, "role": "anonymous"}
    return {"authenticated": True, "username": user.username, "email": user.email, "role": role_of(user)}


def signed_in(request):
    if not request.user.is_authenticated:
        raise ApiError(401, "", "sign in first (on /account/signin), or send a personal API token as Authorization: Bearer <token>")
    return request.user


def sign_in_keeping_work(request, user) -> None:
    """Signs the browser in; what its anonymous session owned moves to the account first."""
    anonymous_key = request.session.session_key
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    claim_session(anonymous_key, user)


@router.get("/auth/me", response=answers({200: MeOut}), summary="Who you are: anonymous, or your name and role")
def who_am_i(request):
    return me(request)


@router.post("/auth/signup", response=answers({201: MeOut}, *BODY_ERRORS, *WRITE_ERRORS),
             summary="Make an account and sign in; your anonymous runs and uploads become its own")
def sign_up(request, payload: SignUpIn):
    errors = []
    username = payload.username.strip()
    try:
        UnicodeUsernameValidator()(username)
        if not username:
            raise DjangoValidationError("empty")
    except DjangoValidationError:
        errors.append({"path": "username", "message": "a user name is letters, digits and @ . + - _ only, and not empty"})
    else:
        if User.objects.filter(username__iexact=username).exists():
            errors.append({"path": "username", "message": f"the name {username!r} is taken; choose another"})
    email = payload.email.strip()
    try:
        validate_email(email)
    except DjangoValidationError:
        errors.append({"path": "email", "message": "that is not an e-mail address; it is where a password reset goes"})
    candidate = User(username=username, email=email)
    try:
        password_validation.validate_password(payload.password, candidate)
    except DjangoValidationError as exc:
        errors += [{"path": "password", "message": message} for message in exc.messages]
    if errors:
        raise ApiError(400, errors=errors)
    with transaction.atomic():
        user = User.objects.create_user(username=username, email=email, password=payload.password)
        new_account(user)
    sign_in_keeping_work(request, user)
    return Status(201, me(request))


@router.post("/auth/signin", response=answers({200: MeOut}, *BODY_ERRORS, *WRITE_ERRORS, 429),
             summary="Sign in; your anonymous runs and uploads become your account's")
def sign_in(request, payload: SignInIn):
    name, address = payload.username.strip(), client_address(request)
    refusal = throttle.refused(name, address)
    if refusal:
        raise ApiError(429, "", refusal)
    if "@" in name:
        found = User.objects.filter(email__iexact=name).order_by("pk").first()
        name = found.username if found else name
    user = authenticate(request, username=name, password=payload.password)
    if user is None:
        throttle.failed(payload.username.strip(), address)
        raise ApiError(400, "", "that name and password do not match an account")
    throttle.succeeded(payload.username.strip(), address)
    sign_in_keeping_work(request, user)
    return me(request)


@router.post("/auth/signout", response=answers({200: MeOut}, *WRITE_ERRORS), summary="Sign out of this browser")
def sign_out(request):
    logout(request)
    return me(request)


@router.post("/auth/password-reset", response=answers({200: SentOut}, *BODY_ERRORS, *WRITE_ERRORS),
             summary="E-mail a link to choose a new password (the answer is the same whether the address is known or not)")
def password_reset(request, payload: ResetIn):
    for user in User.objects.filter(email__iexact=payload.email.strip(), is_active=True):
        if not user.has_usable_password():
            continue
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = request.build_absolute_uri(f"/account/reset/{uid}/{default_token_generator.make_token(user)}")
        send_mail(
            "Choose a new LayerLab password",
            f"Hello {user.username},\n\nsomeone (you, we hope) asked to reset your LayerLab password. "
            f"Choose a new one here:\n\n{link}\n\nThe link works once. If you did not ask, ignore this e-mail.\n",
            settings.DEFAULT_FROM_EMAIL, [user.email],
        )
    return {"sent": True}


@router.post("/auth/password-reset/confirm", response=answers({200: MeOut}, *BODY_ERRORS, *WRITE_ERRORS),
             summary="Set a new password with the link's uid and token, and sign in")
def password_reset_confirm(request, payload: ResetConfirmIn):
    try:
        user = User.objects.filter(pk=int(force_str(urlsafe_base64_decode(payload.uid)))).first()
    except (ValueError, TypeError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, payload.token):
        raise ApiError(400, "token", "this reset link is not valid any more; ask for a new one")
    try:
        password_validation.validate_password(payload.password, user)
    except DjangoValidationError as exc:
        raise ApiError(400, errors=[{"path": "password", "message": m} for m in exc.messages]) from None
    user.set_password(payload.password)
    user.save(update_fields=["password"])
    sign_in_keeping_work(request, user)
    return me(request)


def token_out(token: ApiToken) -> dict:
    return {"id": token.pk, "name": token.name, "start": token.start, "created": token.created, "last_used": token.last_used}


@router.get("/auth/tokens", response=answers({200: list[TokenOut]}, 401), summary="Your personal API tokens")
def list_tokens(request):
    return [token_out(t) for t in ApiToken.objects.filter(user=signed_in(request))]


@router.post("/auth/tokens", response=answers({201: CreatedTokenOut}, 401, *BODY_ERRORS, *WRITE_ERRORS, 429),
             summary="Make a personal API token for scripts (Authorization: Bearer <token>)")
def create_token(request, payload: TokenIn):
    user = signed_in(request)
    if ApiToken.objects.filter(user=user).count() >= settings.LAYERLAB_API_TOKENS_PER_USER:
        raise ApiError(429, "", f"you have {settings.LAYERLAB_API_TOKENS_PER_USER} tokens already; revoke one first")
    secret = new_api_token()
    token = ApiToken.objects.create(user=user, name=payload.name.strip() or "token", digest=api_token_digest(secret), start=secret[:10])
    return Status(201, {**token_out(token), "token": secret})


@router.delete("/auth/tokens/{int:token_id}", response=answers({204: None}, 401, 404, *WRITE_ERRORS),
               summary="Revoke one of your tokens: it stops working at once")
def revoke_token(request, token_id: int):
    deleted, _ = ApiToken.objects.filter(user=signed_in(request), pk=token_id).delete()
    if not deleted:
        raise ApiError(404, "", f"you have no token {token_id}")
    return Status(204, None)
