"""Start-up fails loudly on bad configuration; production settings pass Django's deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from apcase.env import env_bool, env_choice, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "k" * 20 + "A9#fQ2!zLp0vR7$wX3@mN8^bT5&yC1*u",
    "DJANGO_ALLOWED_HOSTS": "apcase.example.org",
    "SITE_URL": "https://apcase.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DATABASE_URL": "sqlite:////tmp/apcase-deploy-check.sqlite3",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_rejects_a_boolean_that_is_not_true_or_false(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG must be true or false"):
        env_bool("DJANGO_DEBUG", False)


def test_it_names_a_missing_required_variable(monkeypatch):
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="Set the DJANGO_SECRET_KEY environment variable"):
        from apcase.env import env_str

        env_str("DJANGO_SECRET_KEY")


def test_it_rejects_a_number_below_its_minimum(monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "0")
    with pytest.raises(ImproperlyConfigured, match="SESSION_IDLE_MINUTES must be at least 1"):
        env_int("SESSION_IDLE_MINUTES", 30, minimum=1)


def test_it_reads_lists_and_choices(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "a.example, b.example")
    monkeypatch.setenv("DJANGO_ENV", "staging")
    assert env_list("DJANGO_ALLOWED_HOSTS") == ["a.example", "b.example"]
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ENV must be one of development, production"):
        env_choice("DJANGO_ENV", ("development", "production"))


def test_start_up_stops_naming_the_missing_production_variable():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Set the DJANGO_SECRET_KEY environment variable" in result.stderr


def test_start_up_stops_on_a_malformed_database_url():
    result = _manage("check", env={"DATABASE_URL": "nonsense://"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
