"""Production settings pass Django's deployment checks, warnings included."""

import os
import subprocess
import sys

from tests.conftest import REPO


def _production_env(**extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        # The test run's own relaxations are not a deployment's.
        if k
        not in (
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "OTP_REQUIRED",
            "DEBUG",
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE="intel_map.settings.production",
        SECRET_KEY="x7Qp2-" + "kV9mZr4tLw8nB3cY6hJ1sD5fG0aE" * 2,
        ALLOWED_HOSTS="intelmap.example.org",
        **extra,
    )
    return env


def _manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_passes_with_production_settings():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=_production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_the_safe_ones():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.OTP_REQUIRED, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = _manage("shell", "-c", code, env=_production_env())
    last = result.stdout.strip().splitlines()[-1]
    assert last.split() == ["False"] + ["True"] * 5, result.stdout + result.stderr


def test_production_refuses_to_start_without_its_hosts():
    env = _production_env()
    del env["ALLOWED_HOSTS"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_weak_production_setting_fails_the_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=_production_env(SECURE_HSTS_SECONDS="0"),
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
