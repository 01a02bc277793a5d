"""Assignment instructions are Markdown rendered inert: no script, no javascript: link, no handler survives."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from playground.classroom.markdown import render

HOSTILE = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "![x](data:text/html;base64,PHNjcmlwdD4=)",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>",
    '<svg onload="alert(1)"></svg>',
    "[a](<javascript:alert(1)>)",
    "<style>body{display:none}</style>",
]


class Elements(HTMLParser):
    """The real elements of a piece of HTML (not text that merely looks like tags) and their attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, {name: value or "" for name, value in attrs}))


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_inert(text):
    for tag, attrs in elements(render(text)):
        assert tag not in ("script", "iframe", "svg", "style", "object", "embed"), (text, tag)
        assert not any(name.startswith("on") for name in attrs), (text, attrs)
        for name in ("href", "src"):
            target = attrs.get(name, "").strip().lower()
            assert not target.startswith(("javascript:", "vbscript:", "data:")), (text, attrs)


def test_script_text_is_shown_as_text():
    assert render("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


def test_ordinary_markdown_survives():
    html = render("# Task\n\nTrain **well**; see [the docs](https://pytorch.org/docs).\n\n- one\n- two\n\n`code`")
    assert "<h1>Task</h1>" in html and "<strong>well</strong>" in html and "<li>one</li>" in html
    assert '<a href="https://pytorch.org/docs" rel="noopener noreferrer nofollow">the docs</a>' in html
    assert "<code>code</code>" in html
