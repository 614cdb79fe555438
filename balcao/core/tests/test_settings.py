"""Production refuses to start with the demo secret; SQLite is opened for concurrency."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def _check(env_overrides):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "BALCAO_TESTING", "SECRET_KEY")
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = _check({"DEBUG": "0", "VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_with_its_own_secret_key_starts(tmp_path):
    result = _check(
        {"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "a.pt", "VAR_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]


def _variables_read_by_settings():
    source = (ROOT / "balcao" / "settings.py").read_text()
    names = set(
        re.findall(r'(?:env_bool|env_int|env_list|os\.environ\.get)\(\s*"([A-Z_]+)"', source)
    )
    return names - {"BALCAO_TESTING"}  # set by the test suite (pyproject.toml), never deployed


def _env_example_lines():
    lines = (ROOT / ".env.example").read_text().splitlines()
    return {line.split("=", 1)[0]: line for line in lines if re.match(r"[A-Z_]+=", line)}


def test_env_example_lists_every_variable_the_settings_read_and_no_other():
    assert set(_env_example_lines()) == _variables_read_by_settings()


def test_env_example_gives_each_variable_its_default():
    # The utility's identity says once, in its section title, that the values are the defaults.
    undocumented = [
        name
        for name, line in _env_example_lines().items()
        if not name.startswith("UTILITY_") and "# [" not in line
    ]
    assert undocumented == []
