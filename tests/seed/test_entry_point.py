"""The hub finds its demo loader through an entry point and never imports it;
the loader writes through the service layer only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import seed.loader
from content_hub.services.commands import (
    DEMO_GROUP,
    DemoLoader,
    demo_loaders,
    find_demo_loader,
)

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_loader_is_registered_and_found() -> None:
    # Needs the distribution installed from this tree (pip install -e .): the
    # entry point lives in its metadata, not in the source.
    registered = demo_loaders()
    assert registered["voltaro"].value == "seed.loader"
    assert registered["voltaro"].group == DEMO_GROUP
    loader = find_demo_loader()
    assert loader is seed.loader
    assert find_demo_loader("voltaro") is seed.loader
    assert isinstance(loader, DemoLoader)


def test_the_import_contracts_hold() -> None:
    """The two contracts, checked on this tree's import graph as CI does."""
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [
            str(lint),
            "--config",
            str(ROOT / "pyproject.toml"),
            "--contract",
            "seed-through-services",
            "--contract",
            "hub-without-demo",
            "--no-cache",
        ],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Contracts: 2 kept, 0 broken." in run.stdout


def test_the_hub_starts_without_importing_the_demo() -> None:
    """The CLI and the app import no ``seed`` module (at run time either)."""
    probe = (
        "import sys, content_hub.cli, content_hub.app\n"
        "content_hub.cli.build_parser()\n"
        "found = sorted(m for m in sys.modules if m.split('.')[0] == 'seed')\n"
        "print(found)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert run.stdout.strip() == "[]"
