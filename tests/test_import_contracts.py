"""The import contracts `make lint` checks (pyproject.toml, import-linter) cover every package."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_of_the_project_is_under_the_contracts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    packages = {init.parent.name for init in ROOT.glob("*/__init__.py")} - {"tests"}
    assert {"articles", "backstory", "comments", "wordpress"} <= packages
    assert packages <= set(config["root_packages"])
    [house] = [c for c in config["contracts"] if c.get("forbidden_modules") == ["backstory"]]
    assert packages - {"backstory"} <= set(house["source_modules"])
