"""The usage example in ``content_hub.search``'s docstring runs as a test."""

from __future__ import annotations

import doctest

import content_hub.search


def test_package_docstring_example() -> None:
    result = doctest.testmod(content_hub.search, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
