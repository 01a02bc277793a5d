"""Downloading a catalogue entry's files: a progress bar, checksums checked, archives unpacked, nothing half-kept.

Each file is written beside its final place as ``<name>.part`` and moved there
only once every checksum the catalogue records matches; a wrong or cut-short
file is deleted and reported. The publishers' mirrors are tried in turn, or only
``base`` (``{base}/{entry}/{file}``, for a local mirror or the tests' server).

    fetch(CATALOG["mnist"], data_dir, out=sys.stderr)  # or FetchFailed, saying why and what to do
"""
from __future__ import annotations

import hashlib
import http.client
import shutil
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath
from typing import TextIO

from playground.data.catalog import Download, Entry, by_hand, folder, missing

CHUNK = 1 << 20
PROGRESS_EVERY = 0.25  # seconds between redraws of the bar


class FetchFailed(Exception):
    """A file could not be fetched or did not check out; the message says why and what to do instead."""


class Unreachable(FetchFailed):
    """No mirror could be reached (no internet here, or the publisher is down)."""


def fetch(entry: Entry, data_dir: Path, base: str = "", out: TextIO | None = None, timeout: float = 30) -> list[Path]:
    """Download whatever of ``entry`` is missing; the files fetched. Nothing is fetched when it is all there."""
    if not missing(data_dir, entry):
        return []
    target_folder = folder(data_dir, entry)
    target_folder.mkdir(parents=True, exist_ok=True)
    fetched = []
    for download in entry.downloads:
        urls = [f"{base.rstrip('/')}/{entry.name}/{download.file}"] if base else [m + download.file for m in entry.mirrors]
        path = target_folder / download.file
        fetch_file(urls, path, download, out, timeout, entry)
        if download.unpack:
            unpack(path, target_folder, download.unpack)
            path.unlink()
        fetched.append(path)
    return fetched


def fetch_file(urls: list[str], path: Path, download: Download, out: TextIO | None, timeout: float,
               entry: Entry) -> None:
    partial = path.with_name(path.name + ".part")
    errors = []
    try:
        for url in urls:
            try:
                digests = stream(url, partial, out, timeout)
                break
            except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
                errors.append(f"{url}: {getattr(error, 'reason', None) or error}")
        else:
            raise Unreachable(f"{entry.name}: could not download {download.file} ({'; '.join(errors)}). "
                              f"Instead, {by_hand(entry, path.parent)}.")
        problem = checksum_problem(download, digests)
        if problem:
            raise FetchFailed(f"{entry.name}: {download.file} {problem}; it was deleted. Try again later, "
                              f"or {by_hand(entry, path.parent)}.")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def stream(url: str, partial: Path, out: TextIO | None, timeout: float) -> dict[str, str]:
    """Copy a URL into ``partial`` with a progress bar; its SHA-256 and MD5."""
    sha256, md5 = hashlib.sha256(), hashlib.md5()
    request = urllib.request.Request(url, headers={"User-Agent": "LayerLab fetch_datasets"})
    with urllib.request.urlopen(request, timeout=timeout) as response, open(partial, "wb") as sink:
        total = int(response.headers.get("Content-Length") or 0)
        done, drawn = 0, 0.0
        name = PurePosixPath(url).name
        while chunk := response.read(CHUNK):
            sink.write(chunk)
            sha256.update(chunk)
            md5.update(chunk)
            done += len(chunk)
            if out is not None and time.monotonic() - drawn >= PROGRESS_EVERY:
                out.write("\r" + progress_bar(name, done, total))
                out.flush()
                drawn = time.monotonic()
        if total and done != total:
            raise OSError(f"the download stopped after {done:,} of {total:,} bytes")
        if out is not None:
            out.write("\r" + progress_bar(name, done, total or done) + "\n")
            out.flush()
    return {"sha256": sha256.hexdigest(), "md5": md5.hexdigest()}


def progress_bar(name: str, done: int, total: int, width: int = 30) -> str:
    if not total:
        return f"{name} {done / 1_048_576:8.1f} MB"
    filled = width * done // total
    return f"{name} [{'#' * filled}{' ' * (width - filled)}] {done / 1_048_576:6.1f} of {total / 1_048_576:.1f} MB"


def checksum_problem(download: Download, digests: dict[str, str]) -> str | None:
    """Why a downloaded file is not the published one, or None."""
    if download.sha256 and digests["sha256"] != download.sha256:
        return f"has SHA-256 {digests['sha256']}, not the published {download.sha256}"
    if download.md5 and digests["md5"] != download.md5:
        return f"has MD5 {digests['md5']}, not the published {download.md5}"
    if download.sha256_prefix and not digests["sha256"].startswith(download.sha256_prefix):
        return f"has SHA-256 {digests['sha256']}, which does not start with {download.sha256_prefix} as its name says"
    return None


def unpack(archive: Path, target: Path, members: tuple[str, ...]) -> None:
    """Take the named regular files out of a .tar.gz, and nothing else (no links, no paths that climb out)."""
    wanted = set(members)
    with tarfile.open(archive, "r:gz") as tar:
        found = [member for member in tar.getmembers() if member.name in wanted and member.isfile()]
        absent = wanted - {member.name for member in found}
        if absent:
            raise FetchFailed(f"{archive.name} lacks {', '.join(sorted(absent))}")
        for member in found:
            destination = target / member.name
            destination.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None  # a regular file always has contents
            with source, open(destination, "wb") as sink:
                shutil.copyfileobj(source, sink, CHUNK)
