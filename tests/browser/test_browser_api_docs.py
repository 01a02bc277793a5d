"""The interactive API page works offline: Swagger UI comes from the project, not from a CDN."""
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_render_with_no_request_leaving_the_machine(open_page, server_url):
    page = open_page()
    elsewhere = []

    def only_this_machine(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_this_machine)
    page.goto(f"{server_url}/api/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("LayerLab API", timeout=30_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/runs").first).to_be_visible(timeout=10_000)
    assert elsewhere == []
