"""./manage.py fetch_datasets and fetch_weights against a local mirror, and GET /api/datasets."""
from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from playground.data import catalog
from playground.data.catalog import Download, Entry
from mirror import publish, serving
from waiting import free_port

TEXT = b"ROMEO:\nBut soft, what light through yonder window breaks?\n" * 20


@pytest.fixture
def small_catalogue(monkeypatch, settings, tmp_path):
    """The real catalogue with tiny-shakespeare swapped for a small text on a local mirror; yields the mirror's root."""
    settings.DATA_DIR = tmp_path / "data"
    root = tmp_path / "mirror"
    entry = Entry("tiny-shakespeare", "A small text", "dataset", (("input.txt",),),
                  (Download("input.txt", sha256=publish(root, "tiny-shakespeare", "input.txt", TEXT)),),
                  mirrors=("http://127.0.0.1:9/",), source="https://example.org/tiny")
    monkeypatch.setitem(catalog.CATALOG, "tiny-shakespeare", entry)
    return root


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_fetch_datasets_downloads_checks_and_then_finds_it_present(small_catalogue, settings):
    with serving(small_catalogue) as base:
        settings.LAYERLAB_DOWNLOAD_BASE = base
        out, err = run("fetch_datasets", "tiny-shakespeare")
        assert "ready, checksums match" in out and "input.txt [" in err
        assert (settings.DATA_DIR / "datasets" / "tiny-shakespeare" / "input.txt").read_bytes() == TEXT
        out, _ = run("fetch_datasets", "tiny-shakespeare")
        assert "already present" in out


def test_without_the_internet_it_says_plainly_what_to_place_by_hand(small_catalogue, settings):
    settings.LAYERLAB_DOWNLOAD_BASE = f"http://127.0.0.1:{free_port()}"
    err = io.StringIO()
    with pytest.raises(CommandError, match="could not be fetched"):
        call_command("fetch_datasets", "tiny-shakespeare", "--timeout", "5", stdout=io.StringIO(), stderr=err)
    assert f"place input.txt in {settings.DATA_DIR / 'datasets' / 'tiny-shakespeare'}/" in err.getvalue()


def test_names_are_checked_and_no_name_lists_what_is_there(small_catalogue):
    with pytest.raises(CommandError, match="unknown: imagenet"):
        run("fetch_datasets", "imagenet")
    out, _ = run("fetch_datasets")
    assert "tiny-shakespeare   missing: input.txt" in out and "vgg19" not in out
    out, _ = run("fetch_weights")
    assert out.startswith("vgg19") and "mnist" not in out


def test_the_api_reports_each_datasets_availability(small_catalogue, settings, client):
    folder = settings.DATA_DIR / "datasets" / "tiny-shakespeare"
    folder.mkdir(parents=True)
    (folder / "input.txt").write_bytes(TEXT)
    by_name = {item["name"]: item for item in client.get("/api/datasets").json()}
    assert by_name["tiny-shakespeare"]["present"] and by_name["tiny-shakespeare"]["missing"] == []
    assert not by_name["cifar-10"]["present"] and "fetch_datasets cifar-10" in by_name["cifar-10"]["how"]
    assert by_name["mnist"]["classes"] == list("0123456789")
    assert str(settings.DATA_DIR) not in str(by_name)  # the server's own paths are not shown
