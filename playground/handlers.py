"""What the site answers when something goes wrong outside a view's own errors.

Pages get the site's own 404 and 500 pages; everything under /api/ gets the API's
JSON error shape (docs/api.md), whoever made the error: the URL resolver, the
router (a method it does not take), Django (a bad Host header) or a crash. A
crash is logged under an id that the visitor is shown, and nothing else of it.
"""
from __future__ import annotations

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from playground.runs.errors import error_response, log_server_error, server_error_message
from playground.studio.pages import PAGES


def is_api(request: HttpRequest) -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "studio/404.html", {"pages": PAGES, "active": "error"}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django calls this while the exception is being handled, so it can be logged here."""
    error_id = log_server_error(request)
    if is_api(request):
        return error_response(500, server_error_message(error_id))
    return render(request, "studio/500.html", {"pages": PAGES, "active": "error", "error_id": error_id}, status=500)


def api_error_message(request: HttpRequest, response: HttpResponse) -> str:
    status = response.status_code
    if status == 404:
        return f"there is no API address {request.path}; the API is described at /api/docs"
    if status == 405:
        return f"{request.path} does not take {request.method}; it takes {response.get('Allow', 'other methods')}"
    if status == 403:
        return "you may not do that"
    if status == 400:
        return "the request is not valid"
    return f"the request failed ({status} {response.reason_phrase})"


class ApiErrorsAreJson:
    """Under /api/, an error answer that is not JSON yet becomes the API's JSON error shape."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        return self.as_json(request, self.get_response(request))

    async def __acall__(self, request: HttpRequest):
        return self.as_json(request, await self.get_response(request))

    def as_json(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code < 400 or not is_api(request) or response.get("Content-Type", "").startswith("application/json"):
            return response
        headers = {"Allow": response["Allow"]} if response.has_header("Allow") else None
        return error_response(response.status_code, api_error_message(request, response), headers=headers)
