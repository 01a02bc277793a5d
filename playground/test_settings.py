"""Settings for the test suite: a throw-away data directory, and no executor until a test starts one."""
import os
import tempfile

os.environ.setdefault("LAYERLAB_DATA_DIR", tempfile.mkdtemp(prefix="layerlab-test-"))
os.environ.setdefault("LAYERLAB_AUTOSTART", "0")

from playground.settings import *  # noqa: E402,F403
from playground.settings import DATABASES, DATA_DIR  # noqa: E402

# Training processes must see the test database, so it lives in a file, not in memory.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LAYERLAB_CANCEL_GRACE = 1.0
