"""The studio's pages render, set the CSRF cookie, and load the built front end through Vite's manifest."""
import json
import re

import pytest

from playground.studio import manifest
from playground.studio.pages import PAGES, PAGES_BY_NAME, task_pages

pytestmark = pytest.mark.django_db  # pages read the visitor's account and a run's preview tags


@pytest.fixture
def built(tmp_path, monkeypatch):
    """A fake build: a manifest with a shared chunk that carries the CSS."""
    path = tmp_path / ".vite" / "manifest.json"
    path.parent.mkdir()
    path.write_text(json.dumps({
        "_shared-1.js": {"file": "assets/shared-1.js", "css": ["assets/shared-1.css"]},
        "src/home/main.ts": {"file": "assets/home-1.js", "isEntry": True, "imports": ["_shared-1.js"]},
        "src/basics/main.ts": {"file": "assets/basics-1.js", "isEntry": True, "imports": ["_shared-1.js"], "css": ["assets/basics-1.css"]},
        "src/run/main.ts": {"file": "assets/run-1.js", "isEntry": True, "imports": ["_shared-1.js"]},
    }))
    monkeypatch.setattr(manifest, "manifest_path", lambda: path)
    return path


@pytest.fixture
def not_built(tmp_path, monkeypatch):
    monkeypatch.setattr(manifest, "manifest_path", lambda: tmp_path / "missing.json")


def test_home_shows_the_four_pages_each_linked_and_the_unbuilt_ones_marked(client, built):
    html = client.get("/").content.decode()
    for title in ("Basics", "CNN", "Text", "Style"):
        assert f"<h2>{title}" in html
    assert "coming next" not in html
    for url in ("/basics", "/cnn", "/text", "/style"):
        assert html.count(f'href="{url}"') == 2  # the top bar and the card


def test_top_bar_marks_the_current_page(client, built):
    html = client.get("/basics").content.decode()
    assert '<a href="/basics" aria-current="page">Basics</a>' in html
    assert '<a href="/style">Style</a>' in html and 'class="soon"' not in html  # every page is built now


def test_the_text_page_is_served_with_its_entry(client, built):
    html = client.get("/text").content.decode()
    assert '<div id="text" class="text" data-state="loading">' in html
    assert "<h1 class=\"visually-hidden\">Text: a character-level RNN, LSTM or GRU that learns to write</h1>" in html


def test_a_page_that_does_not_exist_is_still_not_found(client, built):
    assert client.get("/nowhere").status_code == 404


def test_pages_set_the_csrf_cookie(client, built):
    for url in ("/", "/basics", "/runs/7"):
        response = client.get(url)
        assert response.status_code == 200
        assert "csrftoken" in response.cookies


def test_basics_loads_its_entry_with_the_css_and_preloads_of_its_imports(client, built):
    html = client.get("/basics").content.decode()
    assert '<script type="module" src="/static/build/assets/basics-1.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/build/assets/basics-1.css">' in html
    assert '<link rel="stylesheet" href="/static/build/assets/shared-1.css">' in html
    assert '<link rel="modulepreload" href="/static/build/assets/shared-1.js">' in html


def test_run_page_names_its_run(client, built):
    html = client.get("/runs/42").content.decode()
    assert 'data-run-id="42"' in html
    assert '<script type="module" src="/static/build/assets/run-1.js"></script>' in html


def test_pages_render_and_say_so_when_the_front_end_is_not_built(client, not_built):
    for url in ("/", "/basics", "/runs/1"):
        response = client.get(url)
        assert response.status_code == 200
        assert "The front end is not built" in response.content.decode()


def test_manifest_is_read_again_when_the_build_changes(built):
    assert manifest.entry_assets("home").script == "build/assets/home-1.js"
    data = json.loads(built.read_text())
    data["src/home/main.ts"]["file"] = "assets/home-2.js"
    built.write_text(json.dumps(data))
    import os

    stat = built.stat()
    os.utime(built, (stat.st_atime, stat.st_mtime + 5))
    assert manifest.entry_assets("home").script == "build/assets/home-2.js"


def test_an_unknown_entry_is_not_built(built):
    assert manifest.entry_assets("nowhere") is None


def test_basics_carries_a_sample_of_each_generated_dataset_for_its_thumbnails(client, built):
    html = client.get("/basics").content.decode()
    found = re.search(r'<script id="dataset-samples" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the page carries no dataset samples"
    samples = json.loads(found.group(1))
    catalogue = client.get("/api/tasks").json()[0]["catalogue"]["datasets"]
    assert set(samples) == {name for name, about in catalogue.items() if about["problem"]}
    for name, points in samples.items():
        assert 100 <= len(points) <= 200, name
        assert all(len(p) == 3 and -6 <= p[0] <= 6 and -6 <= p[1] <= 6 for p in points), name
    assert {p[2] for p in samples["three"]} == {0, 1, 2}


def test_a_ready_page_is_served_from_the_registry_with_its_entry_and_element(client, built):
    page = PAGES_BY_NAME["basics"]
    html = client.get(page.url).content.decode()
    assert "<title>Basics — LayerLab</title>" in html
    assert '<h1 class="visually-hidden">Basics: a neural network on 2-D data</h1>' in html
    assert '<div id="basics" class="basics" data-state="loading">' in html
    html = client.get("/cnn").content.decode()
    assert '<h1 class="visually-hidden">CNN: image classification with convolutional networks</h1>' in html
    assert '<div id="cnn" class="cnn" data-state="loading">' in html


def test_the_run_page_knows_which_tasks_have_a_page_to_fork_into(client, built):
    ready = {page.task_name: page.url for page in PAGES}
    assert task_pages() == ready and ready["basics"] == "/basics" and ready["text"] == "/text"
    html = client.get("/runs/3").content.decode()
    found = re.search(r'<script id="task-pages" type="application/json">(.*?)</script>', html, re.S)
    assert found and json.loads(found.group(1)) == ready


def test_every_page_of_the_registry_has_its_route(client, built):
    for page in PAGES:
        assert client.get(page.url).status_code == 200, page.name
