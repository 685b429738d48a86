"""Nothing of ours draws from the ``random`` module's shared generator.

Background loops (retry backoff, webhook retry schedule, the exposure sampler)
run beside whatever else the process does; drawing from the shared generator
moves the state every other user sees. Hypothesis, for one, fails a test whose
draw saw it move ("Do not use the `random` module inside strategies") — the
in-process servers of the tests made those failures flaky. Each user of
randomness holds its own ``random.Random`` (or ``secrets``).
"""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest
import tenacity

from content_hub.retry import jittered
from content_hub.settings import RetrySettings

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("content_hub", "variants", "renderers", "seed")
ALLOWED = {"Random", "SystemRandom"}
"""Module attributes that make a generator of one's own."""


def _shared_draws(source: str) -> list[tuple[int, str]]:
    """``random.<f>`` uses and ``from random import <f>`` of anything but a
    generator class, where ``random`` is the module."""
    tree = ast.parse(source)
    aliases = {"random"} if _imports_random(tree) else set()
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "random":
            found += [
                (node.lineno, a.name) for a in node.names if a.name not in ALLOWED
            ]
        elif isinstance(node, ast.Import):
            aliases |= {a.asname for a in node.names if a.name == "random" and a.asname}
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr not in ALLOWED
        ):
            found.append((node.lineno, node.attr))
    return found


def _imports_random(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Import)
        and any(a.name == "random" and not a.asname for a in node.names)
        for node in ast.walk(tree)
    )


def _sources() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_draws_from_the_shared_generator(path: Path) -> None:
    assert _shared_draws(path.read_text()) == []


@pytest.mark.parametrize(
    "source",
    [
        "import random\nrandom.uniform(0, 1)",
        "import random\nx = random.random",
        "import random as r\nr.choice([1])",
        "from random import shuffle",
        "import random\nrandom.seed(3)",
    ],
)
def test_the_scan_finds_shared_draws(source: str) -> None:
    assert _shared_draws(source)


@pytest.mark.parametrize(
    "source",
    [
        "import random\nR = random.Random()",
        "from random import SystemRandom",
        "random = object()\nrandom.uniform",  # not the module
    ],
)
def test_the_scan_allows_own_generators(source: str) -> None:
    assert _shared_draws(source) == []


@pytest.mark.parametrize("attempt", [1, 2, 5, 30, 10_000])
def test_backoff_leaves_the_shared_state_alone(attempt: int) -> None:
    """tenacity's own random waits draw from the shared generator; ours not."""
    wait = jittered(RetrySettings(initial=0.5, maximum=30))
    state = random.getstate()
    retry = tenacity.RetryCallState(None, None, (), {})
    retry.attempt_number = attempt
    drawn = {wait(retry) for _ in range(50)}
    assert random.getstate() == state
    assert len(drawn) > 1
