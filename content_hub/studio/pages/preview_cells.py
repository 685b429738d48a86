"""How a preview cell is shown: the push notification's visible part and
cut point, the words that changed from the baseline, the form's choices."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any

import msgspec

from content_hub.domain.errors import FieldError, ValidationFailed
from content_hub.domain.preview import Matrix, MatrixCell
from content_hub.domain.render import CustomerIn

PUSH_VISIBLE_TITLE = 50
PUSH_VISIBLE_BODY = 110
"""Characters a collapsed notification shows on a phone's lock screen
(about: iOS and Android cut the title near 50 and the body after two to
four lines, near 110); the rest is behind the ellipsis."""
TEXT_PARTS = ("subject", "preheader", "title", "body", "text")


@dataclass(frozen=True, slots=True)
class Cut:
    """A text split at the point a notification cuts it."""

    shown: str
    hidden: str

    @property
    def cut(self) -> bool:
        return bool(self.hidden)


def cut(text: str, visible: int) -> Cut:
    return Cut(text[:visible], text[visible:])


def push_view(output: dict[str, Any]) -> dict[str, Cut]:
    """The title and body of a push as a lock screen shows them."""
    return {
        "title": cut(str(output.get("title") or ""), PUSH_VISIBLE_TITLE),
        "body": cut(str(output.get("body") or ""), PUSH_VISIBLE_BODY),
    }


def marked_words(text: str, base: str | None) -> list[tuple[str, bool]]:
    """``text`` as (piece, changed) runs: the words not in the baseline's
    text are marked (nothing is marked without a baseline)."""
    if base is None or base == text:
        return [(text, False)]
    words, base_words = text.split(" "), base.split(" ")
    runs: list[tuple[str, bool]] = []
    matcher = difflib.SequenceMatcher(a=base_words, b=words, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        piece = " ".join(words[j1:j2])
        if piece:
            if runs:
                runs.append((" ", False))
            runs.append((piece, tag != "equal"))
    return runs


def baseline(matrix: Matrix, cell: MatrixCell) -> MatrixCell | None:
    """The ``default`` row's cell of the same locale and channel."""
    if cell.variant == "default":
        return None
    return matrix.cell("default", cell.locale, cell.channel)


def base_text(base: MatrixCell | None, part: str) -> str | None:
    if base is None or base.output is None:
        return None
    value = base.output.get(part)
    return value if isinstance(value, str) else None


def customer_from_form(attributes: str, segments: str) -> CustomerIn:
    """A customer typed into the preview-as-a-customer form: attributes as a
    JSON object, segments separated by commas (a 422 names the field)."""
    try:
        parsed = json.loads(attributes) if attributes.strip() else {}
    except json.JSONDecodeError as exc:
        raise _bad("attributes", f"not JSON: {exc.msg} (line {exc.lineno})") from exc
    if not isinstance(parsed, dict):
        raise _bad("attributes", "must be a JSON object")
    names = [s.strip() for s in segments.split(",") if s.strip()]
    try:
        return msgspec.convert(
            {"id": parsed.get("id"), "attributes": parsed, "segments": names},
            CustomerIn,
        )
    except msgspec.ValidationError as exc:
        raise _bad("attributes", str(exc)) from exc


def _bad(field: str, msg: str) -> ValidationFailed:
    return ValidationFailed(
        f"The customer's {field} are not valid: {msg}.",
        errors=[FieldError(loc=[field], msg=msg)],
    )
