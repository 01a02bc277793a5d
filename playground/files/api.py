"""File routes (docs/api.md "Uploads", "Pictures", "Datasets"): uploads, a run's pictures, datasets on disk."""
from __future__ import annotations

import io
from datetime import datetime
from typing import Any, Optional

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.http import FileResponse, HttpRequest
from django.http.multipartparser import MultiPartParserError
from ninja import Field, Router, Schema, Status

from playground.data import catalog
from playground.data.uploads import KINDS
from playground.files import uploads
from playground.files.models import Upload
from playground.runs.errors import ApiError
from playground.runs.run_api import visible_run
from playground.runs.runner import checkpoint_dir, run_dir
from playground.runs.schemas import WRITE_ERRORS, answers
from playground.tasks import checkpoint
from playground.tasks.picture_files import CONTENT_TYPES, FILE_NAME

router = Router(tags=["files"])


class UploadOut(Schema):
    id: int
    kind: str = Field(description=f"One of {', '.join(KINDS)}.")
    name: str = Field(description="The file's name as it was sent.")
    summary: dict[str, Any] = Field(description="What it holds: classes and counts, characters and vocabulary, "
                                                "or width and height (docs/api.md).")
    size: int = Field(description="Bytes, as sent.")
    created: datetime


class CreatedUploadOut(UploadOut):
    owner_token: str = Field(description="Names this upload as yours without a session (Authorization: Bearer ...); "
                                         "given only now, keep it.")


class DatasetOut(Schema):
    name: str
    title: str
    kind: str = Field(description="dataset or weights")
    present: bool
    missing: list[str] = Field(description="The files that are not there.")
    classes: list[str]
    how: str = Field(description="How to get it when it is not there; empty when it is.")


def upload_out(upload: Upload) -> dict[str, Any]:
    return {"id": upload.pk, "kind": upload.kind, "name": upload.name, "summary": upload.summary,
            "size": upload.size, "created": upload.created}


MULTIPART = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["kind", "file"],
    "properties": {"kind": {"type": "string", "enum": list(KINDS)}, "file": {"type": "string", "format": "binary"}},
}}}}}


@router.post("/uploads", response=answers({201: CreatedUploadOut}, 400, *WRITE_ERRORS, 415, 429),
             openapi_extra=MULTIPART, summary="Upload a file: a zip of class folders, a text, or a picture")
def create_upload(request: HttpRequest):
    if request.content_type != "multipart/form-data":
        raise ApiError(415, "", "send the upload as multipart/form-data with the fields kind and file "
                                f"(this request sent {request.content_type or 'no Content-Type'})")
    uploads.check_quota(request)
    try:
        files, form = request.FILES, request.POST  # Django reads the multipart body here
    except (MultiPartParserError, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, SuspiciousOperation):
        raise ApiError(400, "", "the multipart body cannot be read; send the fields kind and file, one file") from None
    try:
        kind = form.get("kind", "")
        if kind not in KINDS:
            raise ApiError(400, "kind", f"kind must be one of {', '.join(KINDS)}" +
                           ("" if not kind else f", not {kind[:40]!r}"))
        sent = files.getlist("file")
        if len(sent) != 1 or len(files) != 1:
            raise ApiError(400, "file", "send exactly one file, in the field named file")
        upload, token = uploads.create(request, kind, sent[0])
    finally:
        for _, received in files.lists():
            for each in received:
                each.close()  # a file Django spooled to disk goes now, kept or refused
    return Status(201, {**upload_out(upload), "owner_token": token})


@router.get("/uploads", response=answers({200: list[UploadOut]}), summary="Your uploads (by session, account or owner token)")
def list_uploads(request: HttpRequest):
    return [upload_out(upload) for upload in uploads.visible(request)]


@router.delete("/uploads/{int:upload_id}", response=answers({204: None}, *WRITE_ERRORS, 404, 409),
               summary="Delete one of your uploads, and its file")
def delete_upload(request: HttpRequest, upload_id: int):
    uploads.delete(uploads.owned(request, upload_id))
    return Status(204, None)


@router.get("/datasets", response=answers({200: list[DatasetOut]}),
            summary="Datasets and weights on the server's disk: which are there, and how to get the others")
def list_datasets(request: HttpRequest):
    return catalog.availability(settings.DATA_DIR)


@router.get("/runs/{int:run_id}/pictures/{name}", response=answers({200: None}, 404),
            openapi_extra={"responses": {200: {"description": "The picture", "content": {
                kind: {"schema": {"type": "string", "format": "binary"}} for kind in CONTENT_TYPES.values()}}}},
            summary="A picture a run wrote (the url of its image events), for its owner or ?token=SHARE_TOKEN")
def run_picture(request: HttpRequest, run_id: int, name: str, token: Optional[str] = None):
    run = visible_run(request, run_id, token)
    path = run_dir(run.pk) / "pictures" / name
    if not FILE_NAME.match(name) or not path.is_file():
        raise ApiError(404, "", f"run {run_id} has no picture {name[:80]!r}")
    response = FileResponse(open(path, "rb"), content_type=CONTENT_TYPES[path.suffix[1:]])
    # Written once under a name never used again: the same URL is the same picture for ever.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    # No file name of its own: a page's <a download="..."> names the file a visitor saves.
    del response["Content-Disposition"]
    return response


@router.get("/runs/{int:run_id}/weights", response=answers({200: None}, 404),
            openapi_extra={"responses": {200: {"description": "The weights", "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}},
            summary="The run's latest trained weights as safetensors (its model's state dict), for its owner or ?token=SHARE_TOKEN")
def run_weights(request: HttpRequest, run_id: int, token: Optional[str] = None):
    run = visible_run(request, run_id, token)
    try:
        weights = checkpoint.model_bytes(checkpoint_dir(run.pk))
    except (checkpoint.CheckpointError, OSError):
        raise ApiError(404, "", f"run {run_id} has saved no weights yet; they come with its first checkpoint") from None
    response = FileResponse(io.BytesIO(weights), content_type="application/octet-stream", as_attachment=True,
                            filename=f"layerlab-run-{run.pk}.safetensors")
    response["Cache-Control"] = "private, no-cache"
    return response
