"""Every shell example in README.md runs, against a real quickstart server.

The README's ```bash blocks are run in order in one bash process (as a reader
would type them into one terminal), in a temporary directory where
``.venv/bin/content-hub quickstart`` serves the demo on SQLite, with
``localhost:8000`` replaced by the server's free port. Each command must
succeed (``set -euo pipefail``; ``curl`` fails on an HTTP error status), JSON
output must parse and be no problem document, and every ``# => TEXT`` line of
a block names text its output must contain. A block whose first line starts
with :data:`SKIP` is not run; the list of such blocks is checked below.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SKIP = "# not run by tests/test_readme.py:"
EXPECT = "# => "
FENCE = re.compile(r"^```bash\n(.*?)^```", re.DOTALL | re.MULTILINE)
MARKER = "@@README-BLOCK {}@@"
SPLIT = re.compile(r"^@@README-BLOCK (\d+)@@$", re.MULTILINE)
# Blocks that may not run, by the start of their reason: keep this tiny.
ALLOWED_SKIPS = ("it installs and then serves until Ctrl-C",)


class Block(NamedTuple):
    index: int
    line: int
    text: str

    @property
    def skipped(self) -> bool:
        return self.text.startswith(SKIP)

    @property
    def expected(self) -> list[str]:
        return [
            line.strip()[len(EXPECT) :]
            for line in self.text.splitlines()
            if line.strip().startswith(EXPECT)
        ]


def readme_blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    return [
        Block(i, text.count("\n", 0, m.start()) + 1, m.group(1))
        for i, m in enumerate(FENCE.finditer(text))
    ]


def test_the_readme_blocks_and_their_skips() -> None:
    blocks = readme_blocks()
    assert len(blocks) >= 10
    skipped = [b for b in blocks if b.skipped]
    for block in skipped:
        reason = block.text.splitlines()[0][len(SKIP) :].strip()
        assert reason.startswith(ALLOWED_SKIPS), (block.line, reason)
    assert len(skipped) <= len(ALLOWED_SKIPS)
    for block in blocks:
        # the quick start installs the command in .venv/bin: never shown bare
        bare = re.findall(r"(?<![/\w-])content-hub(?= )", block.text)
        assert not bare, f"README line {block.line}: use .venv/bin/content-hub"
        # a body sent without a JSON content type is refused (415)
        for command in re.split(r"\n(?!\s)", block.text):
            if "curl" in command and re.search(r" -d |--data", command):
                assert "Content-Type: application/" in command, (block.line, command)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except OSError:
        return 0, b""


def _indexed(data_dir: Path) -> bool:
    """The search indexer has caught up with the change log (the README's
    search examples look for demo content)."""
    db = data_dir / "hub.sqlite3"
    if not db.exists():
        return False
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        try:
            top = conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]
            cursor = conn.execute(
                "SELECT value FROM counter WHERE name = 'search_cursor'"
            ).fetchone()
        except sqlite3.Error:
            return False
    return top is not None and cursor is not None and cursor[0] >= top


class Hub(NamedTuple):
    directory: Path
    port: int
    env: dict[str, str]


@pytest.fixture(scope="module")
def quickstart(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """``.venv/bin/content-hub quickstart`` in an empty directory, as the
    README's first command ends; the wrapper runs this checkout's code."""
    directory = tmp_path_factory.mktemp("readme")
    bin_dir = directory / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    wrapper = bin_dir / "content-hub"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m content_hub.cli "$@"\n')
    wrapper.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTENT_HUB_")}
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p
    )
    # python3 in the examples: this interpreter's directory first
    env["PATH"] = os.pathsep.join((str(Path(sys.executable).parent), env["PATH"]))
    port = _free_port()
    log = (directory / "server.log").open("wb")
    server = subprocess.Popen(
        [str(wrapper), "quickstart", "--port", str(port)],
        cwd=directory,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while _get(f"http://127.0.0.1:{port}/health")[0] != 200 or not _indexed(
            directory / "data"
        ):
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    "quickstart did not come up:\n"
                    + (directory / "server.log").read_text(errors="replace")[-5000:]
                )
            time.sleep(0.2)
        yield Hub(directory, port, env)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def _script(blocks: list[Block], port: int) -> str:
    lines = [
        "set -euo pipefail",
        # an HTTP error status fails the command (and shows the problem body)
        'curl() { command curl --fail-with-body --show-error "$@"; }',
    ]
    for block in blocks:
        marker = MARKER.format(block.index)
        lines.append(f"printf '\\n%s\\n' '{marker}'; printf '\\n%s\\n' '{marker}' >&2")
        text = block.text.replace("localhost:8000", f"127.0.0.1:{port}")
        lines.append(text.replace("127.0.0.1:8000", f"127.0.0.1:{port}"))
    return "\n".join(lines) + "\n"


def _sections(output: str) -> dict[int, str]:
    parts = SPLIT.split(output)
    return {int(parts[i]): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def _json_values(output: str) -> Iterator[Any]:
    """The JSON documents in a block's output (curl prints them one after the
    other, without newlines); other text (a summary, metrics) is skipped."""
    decoder = json.JSONDecoder()
    text, pos = output, 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
        elif text[pos] in "{[":
            value, pos = decoder.raw_decode(text, pos)
            yield value
        else:
            newline = text.find("\n", pos)
            pos = len(text) if newline < 0 else newline + 1


def _is_problem(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and "/problems/" in str(value.get("type", ""))
        and isinstance(value.get("status"), int)
        and value["status"] >= 400
    )


@pytest.mark.slow
def test_every_shell_example_runs(quickstart: Hub) -> None:
    blocks = [b for b in readme_blocks() if not b.skipped]
    script = quickstart.directory / "readme.sh"
    script.write_text(_script(blocks, quickstart.port), encoding="utf-8")
    run = subprocess.run(
        ["bash", str(script)],
        cwd=quickstart.directory,
        env=quickstart.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out, err = _sections(run.stdout), _sections(run.stderr)
    if run.returncode != 0:
        failed = max(out, default=blocks[0].index)
        block = next(b for b in blocks if b.index == failed)
        pytest.fail(
            f"README block at line {block.line} failed (exit {run.returncode}):\n"
            f"{block.text}\n--- stdout ---\n{out.get(failed, '')[-3000:]}\n"
            f"--- stderr ---\n{err.get(failed, run.stderr)[-3000:]}"
        )
    assert sorted(out) == [b.index for b in blocks]
    for block in blocks:
        output = out[block.index]
        where = f"README block at line {block.line}"
        assert output.strip(), f"{where} printed nothing"
        try:
            values = list(_json_values(output))
        except json.JSONDecodeError as exc:
            pytest.fail(f"{where}: output is not valid JSON ({exc}):\n{output[:2000]}")
        problems = [v for v in values if _is_problem(v)]
        assert not problems, f"{where} answered a problem: {problems}"
        for expected in block.expected:
            assert expected in output, f"{where}: {expected!r} not in:\n{output[:3000]}"
