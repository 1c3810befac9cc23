import os
import subprocess
import sys

from django.conf import settings
from django.contrib.sites.models import Site

BASE = settings.BASE_DIR


def run_django(code="print('started')", /, **env):
    """Start Django in another process with `env`, then run `code` there."""
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE,
        env={**clean, "DJANGO_SETTINGS_MODULE": "backstory.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_without_a_secret_key_fails_with_a_clear_message():
    result = run_django(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_start_up_with_a_secret_key_or_in_debug_works():
    assert run_django(DEBUG="0", SECRET_KEY="x" * 50).stdout.strip() == "started"
    assert run_django(DEBUG="1").stdout.strip() == "started"


def test_sites_framework_domain_follows_site_url(db):
    assert Site.objects.get_current().domain == settings.SITE_DOMAIN


def test_check_deploy_is_clean_for_an_https_site():
    # (The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; no deployment has it.)
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="a-long-random-production-key-" + "x" * 40,
        SITE_URL="https://blog.example.org",
        ALLOWED_HOSTS="blog.example.org",
        SUBSCRIPTIONS_HASH_KEY="a-separate-permanent-key-" + "y" * 40,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
