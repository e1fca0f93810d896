"""`make run` and `make test` share scripts/setup.sh: a second run must be
quick, install nothing and lose nothing."""

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    not (REPO / ".venv").exists(), reason="needs the set-up to have run once"
)
def test_second_set_up_run_changes_nothing():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env_file = (REPO / ".env").read_text()
    # The first run brings anything changed since the last set-up (say, a
    # requirements.txt edited by a merge) up to date; the second must find
    # nothing to do.
    for _ in range(2):
        result = subprocess.run(
            ["bash", "scripts/setup.sh"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, result.stderr
    assert "Installing" not in result.stdout
    assert "Initialising" not in result.stdout
    assert (REPO / ".env").read_text() == env_file, "the secret key must survive"


def test_set_up_without_root_prints_the_exact_command(tmp_path):
    """As a user who cannot install packages, set-up stops with the command."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    # dpkg-query reports every package missing; id says we are not root.
    (fake_bin / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")
    (fake_bin / "id").write_text("#!/bin/sh\necho 1000\n")
    (fake_bin / "sudo").write_text("#!/bin/sh\nexit 1\n")
    for f in fake_bin.iterdir():
        f.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake_bin}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", "scripts/setup.sh"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "sudo apt-get install -y" in result.stderr
    assert "postgresql-15-postgis-3" in result.stderr
    assert "chromium" in result.stderr
