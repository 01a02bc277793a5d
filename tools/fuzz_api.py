"""Fuzz the API with schemathesis against a real server, as a browser session that owns a run.

schemathesis lives in its own environment (its pins are not the project's):

    python3 -m venv /tmp/schemathesis && /tmp/schemathesis/bin/pip install schemathesis==4.32.5
    .venv/bin/python tools/fuzz_api.py --schemathesis /tmp/schemathesis/bin/schemathesis --cases 1000

It starts the site's server (``python -m playground.server``, Daphne with its
guards) on a free loopback port with a throw-away data directory and no training
(runs only queue; quotas raised so that they do not answer instead of the
handlers). It signs up the first account, a teacher, who owns a run, a course,
an assignment and a spare API token, and runs schemathesis with every check
against /api/openapi.json: as that teacher (a personal API token, which a
fuzzed sign-out cannot end), with those ids in every path that takes one (the
spare token's for the path that deletes one). It prints the operations, the
cases, the server errors and the schema violations.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_CHECKS = {"status_code_conformance", "content_type_conformance", "response_schema_conformance",
                 "response_headers_conformance"}
# The basics configuration has rules across fields that a JSON Schema cannot state (the problem
# must suit the dataset, points only with the custom dataset, a batch no larger than the points):
# data that fits the schema may still be refused with 400, which is right.
CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "403", "404", "409", "429"]

[parameters]
"path.run_id" = {run_id}
"path.course_id" = {course_id}
"path.assignment_id" = {assignment_id}
"path.token_id" = {token_id}
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAYERLAB_", "DJANGO_"))}
    env.update(LAYERLAB_DATA_DIR=str(data_dir), LAYERLAB_EXECUTOR="none", DJANGO_SETTINGS_MODULE="playground.settings",
               LAYERLAB_RUN_QUOTA_ANONYMOUS="1000000", LAYERLAB_RUN_QUOTA_PER_ADDRESS="1000000",
               LAYERLAB_ROLE_LIMITS='{"teacher": {"runs": 1000000}}', LAYERLAB_FIRST_USER_IS_TEACHER="1")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    return subprocess.Popen([sys.executable, "-m", "playground.server", "-b", "127.0.0.1", "-p", str(port)],
                            cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=open(data_dir / "server.log", "w"))


def open_session(base: str) -> tuple[dict[str, str], dict[str, int]]:
    """Headers that act as a teacher owning a run, a course and an assignment; the ids for the paths."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    deadline = time.monotonic() + 60
    while True:
        try:
            opener.open(f"{base}/api/csrf", timeout=5)
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)

    def post(path: str, body: dict, headers: dict[str, str] | None = None) -> dict:
        token = json.load(opener.open(f"{base}/api/csrf", timeout=5))["csrftoken"]  # new after signing up
        request = urllib.request.Request(f"{base}/api/{path}", data=json.dumps(body).encode(), headers={
            "Content-Type": "application/json", "X-CSRFToken": token, **(headers or {})})
        return json.load(opener.open(request, timeout=10))

    post("auth/signup", {"username": "fuzzing-teacher", "password": "a long enough password 1", "email": "t@example.org"})
    personal = post("auth/tokens", {"name": "fuzzing"})["token"]
    spare = post("auth/tokens", {"name": "spare, for DELETE"})["id"]
    teacher = {"Authorization": f"Bearer {personal}"}
    run = post("runs", {"task": "basics"}, teacher)
    course = post("courses", {"name": "Fuzzing 101"}, teacher)
    assignment = post(f"courses/{course['id']}/assignments", {"title": "Spirals", "task": "basics"}, teacher)
    return teacher, {"run_id": run["id"], "course_id": course["id"], "assignment_id": assignment["id"], "token_id": spare}


def summarise(events_path: Path) -> dict:
    """Counts from schemathesis's NDJSON event stream: operations, cases, 5xx answers, failed checks."""
    operations, cases, server_errors, failures = set(), 0, 0, Counter()
    for line in events_path.read_text().splitlines():
        recorder = json.loads(line).get("ScenarioFinished", {}).get("recorder") or {}
        if recorder.get("cases") and recorder["label"].split(" ")[0] in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            operations.add(recorder["label"])
        cases += len(recorder.get("cases", {}))
        for interaction in recorder.get("interactions", {}).values():
            response = interaction.get("response") or {}
            server_errors += response.get("status_code", 0) >= 500
        for results in recorder.get("checks", {}).values():
            failures.update(result["name"] for result in results if result["status"] == "failure")
    return {"operations": len(operations), "cases": cases, "server_errors": server_errors,
            "schema_violations": sum(n for name, n in failures.items() if name in SCHEMA_CHECKS),
            "failed_checks": dict(failures)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemathesis", default="schemathesis", help="the schemathesis command")
    parser.add_argument("--cases", type=int, default=1000, help="most cases per operation and phase")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--events", help="keep schemathesis's NDJSON event stream in this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="layerlab-fuzz-") as tmp:
        data_dir, port = Path(tmp), free_port()
        server = start_server(data_dir, port)
        try:
            base = f"http://127.0.0.1:{port}"
            headers, ids = open_session(base)
            config = data_dir / "schemathesis.toml"
            config.write_text(CONFIG.format(**ids))
            report_dir = data_dir / "report"
            command = [args.schemathesis, "--config-file", str(config), "run", f"{base}/api/openapi.json",
                       "--checks", "all", "--max-examples", str(args.cases), "--seed", str(args.seed),
                       "--workers", "1", "--report", "ndjson", "--report-ndjson-path", str(report_dir / "events.ndjson"),
                       "--warnings", "off", "--suppress-health-check", "all"]
            for name, value in headers.items():
                command += ["--header", f"{name}: {value}"]
            started = time.monotonic()
            result = subprocess.run(command, cwd=tmp, capture_output=True, text=True)
            print(result.stdout)
            summary = summarise(report_dir / "events.ndjson")
            summary["seconds"] = round(time.monotonic() - started)
            print(json.dumps(summary, indent=2))
            shutil.copy(report_dir / "events.ndjson", args.events) if args.events else None
            errors = [line for line in (data_dir / "server.log").read_text().splitlines() if "error id" in line]
            print(f"server log: {len(errors)} logged server errors", *errors[:5], sep="\n")
            return 0 if summary["server_errors"] == 0 and summary["schema_violations"] == 0 else 1
        finally:
            import signal

            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
