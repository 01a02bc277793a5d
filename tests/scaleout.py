"""The scale-out stack on this machine, for tests and benchmarks: PostgreSQL, Redis, Celery workers, Daphne web nodes.

    with ScaleOut(workers=2, webs=2) as stack:
        visitor = stack.visitor()
        run = visitor.post_run({"epochs": 2})
        stack.wait_final(run["id"])

Each stack gets its own database on the PostgreSQL server (LAYERLAB_TEST_POSTGRES,
by default postgres://postgres@127.0.0.1:5432/postgres), its own Celery queue and
channel-layer prefix on the Redis server (LAYERLAB_TEST_REDIS, by default
redis://127.0.0.1:6379/0), so stacks of several people on one machine never meet,
and one shared data directory (LAYERLAB_DATA_DIR, as every node of a real site
shares it). Where no server answers, one is started in a temporary directory if its
program is installed (redis-server; initdb and pg_ctl); else ``Unavailable`` says why.
Every process runs in its own process group; ``stop`` ends them all and drops the database.
"""
from __future__ import annotations

import contextlib
import glob
import http.cookiejar
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

POSTGRES = os.environ.get("LAYERLAB_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("LAYERLAB_TEST_REDIS", "redis://127.0.0.1:6379/0")
FINAL = ("succeeded", "failed", "cancelled")


class Unavailable(Exception):
    """A service the stack needs is missing and could not be started; the message says which and why."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


def end_group(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # What the group left behind (a fork server, a training process) goes too.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


class Services:
    """PostgreSQL and Redis: the machine's, or ones started here for the stack's lifetime."""

    def __init__(self) -> None:
        self.postgres, self.redis = POSTGRES, REDIS
        self._started: list[subprocess.Popen] = []
        self._pg_dir: str | None = None

    def start(self) -> "Services":
        try:
            import psycopg  # noqa: F401
            import redis  # noqa: F401
        except ImportError as error:
            raise Unavailable(f"the scale-out packages are not installed ({error})") from None
        if not self._redis_answers(self.redis):
            self.redis = self._start_redis()
        if not self._postgres_answers(self.postgres):
            self.postgres = self._start_postgres()
        return self

    def stop(self) -> None:
        if self._pg_dir:
            subprocess.run([*getattr(self, "_pg_prefix", []), self._pg_ctl(), "-D", self._pg_dir, "-m", "immediate",
                            "stop"], capture_output=True)
            shutil.rmtree(self._pg_dir, ignore_errors=True)
        for process in self._started:
            end_group(process)

    @staticmethod
    def _redis_answers(url: str) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
        except redis.RedisError:
            return False

    @staticmethod
    def _postgres_answers(url: str) -> bool:
        import psycopg

        try:
            psycopg.connect(url, connect_timeout=3).close()
            return True
        except psycopg.OperationalError:
            return False

    def _start_redis(self) -> str:
        program = shutil.which("redis-server")
        if program is None:
            raise Unavailable(f"no Redis answers at {self.redis} and redis-server is not installed")
        port = free_port()
        self._started.append(subprocess.Popen([program, "--port", str(port), "--save", "", "--appendonly", "no"],
                                              stdout=subprocess.DEVNULL, start_new_session=True))
        url = f"redis://127.0.0.1:{port}/0"
        try:
            wait_until(lambda: self._redis_answers(url), 20, "redis-server")
        except TimeoutError:
            raise Unavailable(f"no Redis answers at {self.redis} and one started here did not answer") from None
        return url

    @staticmethod
    def _pg_ctl() -> str:
        found = shutil.which("pg_ctl") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))), None)
        return found or ""

    def _as_postgres(self) -> list[str]:
        """initdb and the server refuse to run as root: as root, run them as the postgres user."""
        if os.geteuid() != 0:
            return []
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return ["(no postgres user)"]
        return ["runuser", "-u", "postgres", "--"] if shutil.which("runuser") else ["(no runuser)"]

    def _start_postgres(self) -> str:
        pg_ctl = self._pg_ctl()
        initdb = os.path.join(os.path.dirname(pg_ctl), "initdb") if pg_ctl else ""
        prefix = self._as_postgres()
        if not pg_ctl or not os.path.exists(initdb) or prefix[:1] in (["(no postgres user)"], ["(no runuser)"]):
            why = ("pg_ctl and initdb are not installed" if not pg_ctl else
                   "initdb will not run as root, and there is no postgres user to run it as")
            raise Unavailable(f"no PostgreSQL answers at {self.postgres} and none can be started here ({why})")
        self._pg_dir = tempfile.mkdtemp(prefix="layerlab-pg-")
        if prefix:
            shutil.chown(self._pg_dir, "postgres", "postgres")
        self._pg_prefix = prefix
        port = free_port()
        try:
            subprocess.run([*prefix, initdb, "-D", self._pg_dir, "-U", "postgres", "-A", "trust"], check=True,
                           capture_output=True)
            subprocess.run([*prefix, pg_ctl, "-D", self._pg_dir, "-l", f"{self._pg_dir}/server.log",
                            "-o", f"-p {port} -k {self._pg_dir} -h 127.0.0.1", "-w", "start"], check=True, capture_output=True)
        except subprocess.CalledProcessError as error:
            raise Unavailable(f"no PostgreSQL answers at {self.postgres}, and starting one here failed: "
                              f"{error.stderr.decode(errors='replace')[-300:]}") from None
        return f"postgres://postgres@127.0.0.1:{port}/postgres"


class Visitor:
    """A browser-like client of one web node: keeps its cookies, sends the CSRF token on writes."""

    def __init__(self, url: str):
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = self.call("GET", "/api/csrf")[1]["csrftoken"]

    def at(self, url: str) -> "Visitor":
        """The same visitor (same cookies) talking to another web node."""
        other = object.__new__(Visitor)
        other.url, other.jar, other.csrf = url, self.jar, self.csrf
        other.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        return other

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"}
        if method != "GET" and getattr(self, "csrf", None):
            headers["X-CSRFToken"] = self.csrf
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def post_run(self, config: dict[str, Any], task: str = "basics") -> dict[str, Any]:
        status, answer = self.call("POST", "/api/runs", {"task": task, "config": config})
        if status != 201:
            raise AssertionError(f"POST /api/runs answered {status}: {answer}")
        return answer


class ScaleOut:
    """Two (or more) Celery workers and Daphne web nodes on one database, one Redis and one data directory."""

    def __init__(self, workers: int = 2, webs: int = 2, env: dict[str, str] | None = None, keep: bool = False):
        self.worker_count, self.web_count = workers, webs
        self.keep = keep
        self.services = Services()
        self.data_dir = Path(tempfile.mkdtemp(prefix="layerlab-scaleout-"))
        self.extra_env = env or {}
        self.tag = secrets.token_hex(4)
        self.workers: dict[str, subprocess.Popen] = {}
        self.webs: list[subprocess.Popen] = []
        self.urls: list[str] = []
        self.database_url = ""
        self._admin = None

    # --- life ------------------------------------------------------------------------------

    def __enter__(self) -> "ScaleOut":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        import psycopg

        self.services.start()
        self._admin = psycopg.connect(self.services.postgres, autocommit=True)
        name = f"layerlab_scaleout_{self.tag}"
        self._admin.execute(f"CREATE DATABASE {name}")
        self.database_url = self.services.postgres.rsplit("/", 1)[0] + "/" + name
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("LAYERLAB_", "DJANGO_", "CELERY_"))},
            "DJANGO_SETTINGS_MODULE": "playground.settings",
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.services.redis,
            "LAYERLAB_EXECUTOR": "celery",
            "LAYERLAB_CELERY_QUEUE": f"layerlab-runs-{self.tag}",
            "LAYERLAB_CHANNEL_PREFIX": f"layerlab-{self.tag}",
            "LAYERLAB_DATA_DIR": str(self.data_dir),
            "LAYERLAB_DEVICE": "cpu",
            "CUDA_VISIBLE_DEVICES": "",
            "LAYERLAB_WORKER_THREADS": "1",
            "LAYERLAB_HEARTBEAT_SECONDS": "2",
            "LAYERLAB_WORKER_TIMEOUT": "10",
            # Everything here comes from one address; tests and benchmarks queue many runs from it.
            "LAYERLAB_RUN_QUOTA_PER_ADDRESS": "100000",
            **self.extra_env,
        }
        subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=self.env, check=True)
        for i in range(self.worker_count):
            self.start_worker(f"w{i}")
        for i in range(self.web_count):
            self._start_web(i)
        for process, url in zip(self.webs, self.urls):
            wait_until(lambda: self._answers(process, url), 180, f"the web node at {url}")
        wait_until(lambda: len(self.live_workers()) >= self.worker_count, 180, "the workers' first heartbeats")

    def stop(self) -> None:
        for process in [*self.webs, *self.workers.values()]:
            end_group(process)
        if self._admin is not None and self.database_url:
            with contextlib.suppress(Exception):
                self._admin.execute(f"DROP DATABASE IF EXISTS {self.database_url.rsplit('/', 1)[1]} WITH (FORCE)")
            self._admin.close()
            self._admin = None
        self._drop_redis_keys()
        self.services.stop()
        if not self.keep:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def _drop_redis_keys(self) -> None:
        with contextlib.suppress(Exception):
            import redis

            client = redis.Redis.from_url(self.services.redis)
            for pattern in (f"layerlab-{self.tag}*", f"layerlab-runs-{self.tag}*"):
                keys = list(client.scan_iter(pattern))
                if keys:
                    client.delete(*keys)

    def start_worker(self, name: str) -> subprocess.Popen:
        from playground.workers import worker_command

        log = open(self.data_dir / f"worker-{name}.log", "ab")
        self.workers[name] = subprocess.Popen(worker_command(name, loglevel="WARNING", queue=self.env["LAYERLAB_CELERY_QUEUE"]), cwd=ROOT, env=self.env,
                                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        return self.workers[name]

    def _start_web(self, index: int) -> None:
        port = free_port()
        log = open(self.data_dir / f"web-{index}.log", "ab")
        self.webs.append(subprocess.Popen([sys.executable, "-m", "playground.server", "-b", "127.0.0.1", "-p", str(port)],
                                          cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                          start_new_session=True))
        self.urls.append(f"http://127.0.0.1:{port}")

    def _answers(self, process: subprocess.Popen, url: str) -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"the web node at {url} exited:\n{self.logs()}")
        try:
            with urllib.request.urlopen(f"{url}/api/tasks", timeout=5):
                return True
        except OSError:
            return False

    def logs(self, tail: int = 3000) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text(errors='replace')[-tail:]}"
                         for path in sorted(self.data_dir.glob("*.log")))

    # --- looking at it --------------------------------------------------------------------------

    def sql(self, query: str, *args) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return conn.execute(query, args).fetchall()

    def live_workers(self) -> list[str]:
        try:
            return [row[0] for row in self.sql("SELECT name FROM runs_worker WHERE stopped IS NULL "
                                               "AND last_beat > now() - interval '10 seconds'")]
        except Exception:
            return []

    def visitor(self, web: int = 0) -> Visitor:
        return Visitor(self.urls[web])

    def ws_url(self, run: dict[str, Any], web: int = 0, after: int = 0) -> str:
        port = self.urls[web].rsplit(":", 1)[1]
        return f"ws://127.0.0.1:{port}/ws/runs/{run['id']}/?after={after}&token={run['share_token']}"

    def status(self, run_id: int) -> str:
        return self.sql("SELECT status FROM runs_run WHERE id = %s", run_id)[0][0]

    def wait_final(self, run_ids: list[int], timeout: float = 120) -> dict[int, str]:
        def all_final():
            rows = dict(self.sql("SELECT id, status FROM runs_run WHERE id = ANY(%s)", list(run_ids)))
            return rows if all(rows.get(i) in FINAL for i in run_ids) else None

        return wait_until(all_final, timeout, f"runs {run_ids} to end", interval=0.5)

    def stored_events(self, run_id: int) -> list[dict[str, Any]]:
        return [{"seq": seq, "type": type_, "data": data} for seq, type_, data in
                self.sql("SELECT seq, type, data FROM runs_event WHERE run_id = %s ORDER BY seq", run_id)]
