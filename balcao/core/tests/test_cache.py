"""The Redis cache keeps one client per connection pool (balcao/core/cache.py)."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from balcao.core.cache import RedisCache

ROOT = Path(__file__).resolve().parents[3]


def test_one_redis_client_is_reused_across_calls():
    # No connection is opened: building the client and its pool needs no server.
    cache = RedisCache("redis://127.0.0.1:6379/15", {})
    assert cache._cache.get_client("a") is cache._cache.get_client("b")
    assert cache._cache.get_client(write=True) is cache._cache.get_client()


def test_django_builds_a_client_per_call_which_is_why_we_keep_ours():
    cache = DjangoRedisCache("redis://127.0.0.1:6379/15", {})
    assert cache._cache.get_client() is not cache._cache.get_client()


def test_settings_use_our_backend_with_redis(tmp_path):
    code = "import balcao.settings as s; print(s.CACHES['default']['BACKEND'])"
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/15", "VAR_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.stdout.strip() == "balcao.core.cache.RedisCache", result.stderr
