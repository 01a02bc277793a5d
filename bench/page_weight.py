"""What a first-time visitor to a page downloads: bytes on the wire, by kind, in a real Chromium.

Run from the repository root (needs /usr/bin/chromium and the front-end build):

    .venv/bin/python bench/page_weight.py                   # /basics
    .venv/bin/python bench/page_weight.py --path / --path /runs/1

It starts the embedded site (bench/site.py), opens each path in a fresh browser
context (an empty cache, as a new visitor has), waits until the network is idle,
and sums every response: the body as it came over the wire (compressed where the
server compressed it) and as the page uses it, by resource type (document,
script, stylesheet, fetch...). It reports; it does not fail.
"""
from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.site import Site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def load(context, url: str) -> dict[str, list[int]]:
    """Bytes per resource type of one page load: [requests, on the wire, as used]."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    finished = []
    page = context.new_page()
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    for request in finished:
        response = request.response()
        sizes = request.sizes()
        row = totals[request.resource_type]
        row[0] += 1
        row[1] += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        row[2] += len(response.body()) if response is not None and response.status == 200 else 0
    page.close()
    return totals


def report(title: str, totals: dict[str, list[int]]) -> None:
    print(f"  {title}")
    for kind, (count, wire, used) in sorted(totals.items()):
        print(f"    {kind:>11s}: {count:2d} requests, {wire / 1024:7.1f} KB on the wire (headers included), "
              f"{used / 1024:7.1f} KB used")
    wire = sum(row[1] for row in totals.values())
    used = sum(row[2] for row in totals.values())
    print(f"    {'total':>11s}: {sum(row[0] for row in totals.values()):2d} requests, {wire / 1024:7.1f} KB on the wire, "
          f"{used / 1024:7.1f} KB used")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--path", action="append", help="page to open (repeatable); default /basics")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with Site() as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for path in args.path or ["/basics"]:
            context = browser.new_context()
            print(f"page_weight: {path}")
            report("a first visit (empty cache)", load(context, site.url + path))
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
