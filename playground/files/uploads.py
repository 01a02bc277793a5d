"""Uploads' rows and folders: one made from a request's file, the visitor's own, one deleted, references checked.

An upload's file lives in ``MEDIA_ROOT/uploads/<id>/`` (the media folder is the
one training workers share). Nothing of a refused upload is kept: every check
(``playground/data/uploads.py``) runs on the file as Django received it, and the
row and the folder are made only after, together, or not at all.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from playground.data import uploads
from playground.data.image_folders import ArchiveLimits
from playground.data.images import FileRefused
from playground.files.models import Upload
from playground.runs import access
from playground.runs.errors import ApiError
from playground.runs.models import ACTIVE, Run, token_digest


def upload_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "uploads"


def upload_folder(upload_id: int) -> Path:
    return upload_root() / str(upload_id)


def limits() -> uploads.UploadLimits:
    return uploads.UploadLimits(
        archive=ArchiveLimits(expanded_bytes=settings.LAYERLAB_UPLOAD_MAX_EXPANDED_BYTES,
                              files=settings.LAYERLAB_UPLOAD_MAX_FILES, pixels=settings.LAYERLAB_UPLOAD_MAX_PIXELS),
        image_pixels=settings.LAYERLAB_UPLOAD_MAX_PIXELS,
        text_bytes=settings.LAYERLAB_UPLOAD_MAX_TEXT_BYTES,
        vocabulary=settings.LAYERLAB_UPLOAD_MAX_VOCABULARY,
    )


def visible(request) -> QuerySet:
    """The requesting visitor's uploads: by account or session, and the one whose owner token came."""
    mine = Q()
    if request.user.is_authenticated or request.session.session_key:
        mine = Q(**access.owner_filter(request))
    token = access.bearer_token(request)
    if token is not None:
        mine |= Q(owner_token_digest=token_digest(token))
    return Upload.objects.filter(mine) if mine else Upload.objects.none()


def owned(request, upload_id: int) -> Upload:
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None or not access.owns(request, upload):
        raise ApiError(404, "", f"there is no upload {upload_id} of yours")
    return upload


def check_quota(request) -> None:
    quota = settings.LAYERLAB_UPLOAD_QUOTA
    if (request.user.is_authenticated or request.session.session_key) and \
            Upload.objects.filter(**access.owner_filter(request)).count() >= quota:
        raise ApiError(429, "", f"you already keep {quota} uploads; delete one you no longer need first")
    shared = settings.LAYERLAB_UPLOAD_QUOTA_PER_ADDRESS
    if not request.user.is_authenticated and Upload.objects.filter(
            owner__isnull=True, client_address=access.client_address(request)).count() >= shared:
        raise ApiError(429, "", f"{shared} uploads from your network address are kept already; "
                                "delete some, or sign in")


def create(request, kind: str, file) -> tuple[Upload, str]:
    """Check a received file and keep it as the visitor's upload; ApiError 400 with the reason otherwise."""
    try:
        checked = uploads.check(kind, file, limits())
    except FileRefused as refused:
        raise ApiError(400, "file" if kind in uploads.KINDS else "kind", str(refused)) from None
    fields, token = access.owner_fields(request)
    # The file is written outside the transaction (a slow write must not hold the database's
    # write lock), into a folder of its own that becomes the upload's with the row, or goes.
    upload_root().mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=upload_root()))
    try:
        uploads.keep(checked, file, staging)
        with transaction.atomic():
            upload = Upload.objects.create(kind=checked.kind, name=(file.name or "")[:200],
                                           summary=checked.summary, size=file.size, **fields)
            staging.rename(upload_folder(upload.pk))
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return upload, token


def delete(upload: Upload) -> None:
    """Remove an upload, its file first; one an unfinished run trains on stays (409)."""
    reference = f"upload:{upload.pk}"
    for run in Run.objects.filter(status__in=ACTIVE).only("pk", "config"):
        if any(found == upload.pk for _, found in uploads.references(run.config)):
            raise ApiError(409, "", f"run {run.pk} is using {reference}; stop it or wait for it to end first")
    shutil.rmtree(upload_folder(upload.pk), ignore_errors=True)
    upload.delete()


def check_references(request, config: Any) -> None:
    """A configuration may name only uploads its requester owns (and that still exist): 400 otherwise."""
    errors = []
    for path, upload_id in uploads.references(config):
        upload = Upload.objects.filter(pk=upload_id).first()
        if upload is None or not access.owns(request, upload) or uploads.stored_file(upload_folder(upload_id)) is None:
            errors.append({"path": path, "message": f"there is no upload {upload_id} of yours; "
                                                    "upload the file again or choose another"})
    if errors:
        raise ApiError(400, errors=errors)
