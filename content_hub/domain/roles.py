"""The roles of Studio users (kept apart from :mod:`users` so that
:mod:`keys` can name them without an import cycle)."""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """What a signed-in person may do: ``admin`` everything (users, keys,
    locales), ``editor`` all content, ``translator`` the localised fields of
    their locales, ``reviewer`` read and publish, ``viewer`` read."""

    ADMIN = "admin"
    EDITOR = "editor"
    TRANSLATOR = "translator"
    REVIEWER = "reviewer"
    VIEWER = "viewer"
