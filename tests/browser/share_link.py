"""Share on a task's page, as a visitor presses it: the link it makes, once it shows."""
from __future__ import annotations

import re

from playwright.sync_api import expect


def share(page) -> str:
    """Presses Share on the page and answers the link to its settings."""
    page.get_by_role("button", name="Share").click()
    link = page.get_by_label("Link to these settings")
    expect(link).to_have_value(re.compile(r"/s/[\w-]+$"))
    return link.input_value()
