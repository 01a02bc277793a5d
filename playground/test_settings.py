"""Settings for the test suite: a throw-away data directory, and no executor until a test starts one."""
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("LAYERLAB_DATA_DIR", tempfile.mkdtemp(prefix="layerlab-test-"))
os.environ.setdefault("LAYERLAB_AUTOSTART", "0")
# The tests' own task (tests/probe_task.py), in every process the tests start: the training and
# job processes inherit the variable, and the fork server the test process's import path.
TESTS_DIR = str(Path(__file__).resolve().parent.parent / "tests")
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)
os.environ.setdefault("LAYERLAB_EXTRA_TASKS", "probe_task:ProbeTask")
if TESTS_DIR not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [TESTS_DIR, os.environ.get("PYTHONPATH", "")]))

from playground.settings import *  # noqa: E402,F403
from playground.settings import DATABASES, DATA_DIR  # noqa: E402

# Training processes must see the test database, so it lives in a file, not in memory.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LAYERLAB_CANCEL_GRACE = 1.0
