"""The package docstring's example runs as written."""

from __future__ import annotations

import textwrap

import renderers


def test_package_example_runs() -> None:
    doc = renderers.__doc__ or ""
    example = textwrap.dedent(doc.split("Example::", 1)[1])
    exec(compile(example, "renderers.__doc__", "exec"), {})
