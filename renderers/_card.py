"""App channel, in-app cards: title, body, image and buttons (plain text)."""

from __future__ import annotations

from typing import Literal

import msgspec

from renderers._base import ChannelRenderer, RenderState
from renderers._graphemes import graphemes
from renderers._limits import Limits
from renderers._types import RenderRequest, RenderWarning

__all__ = ["CardButton", "CardOutput", "CardRenderer", "CardTemplates"]


class CardButton(msgspec.Struct, frozen=True):
    label: str
    action: str
    """A URL or deep link."""


class CardTemplates(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    body: str
    image: str = ""
    buttons: tuple[CardButton, ...] = ()
    """Each label and action is a Jinja source."""


class CardOutput(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    body: str
    image: str | None
    buttons: tuple[CardButton, ...]
    locale: str
    dir: Literal["ltr", "rtl"]
    warnings: tuple[RenderWarning, ...] = ()


CARD_TITLE_SOFT = 60
CARD_BODY_SOFT = 240
CARD_MAX_BUTTONS = 3


class CardRenderer(ChannelRenderer[CardOutput]):
    channel = "card"
    default_limits = Limits(max_output_chars=8_192)

    def __init__(
        self,
        template_id: str,
        version: int | str,
        templates: CardTemplates,
        limits: Limits | None = None,
    ) -> None:
        sources = {"title": templates.title, "body": templates.body}
        if templates.image:
            sources["image"] = templates.image
        for index, button in enumerate(templates.buttons):
            sources[f"button.{index}.label"] = button.label
            sources[f"button.{index}.action"] = button.action
        super().__init__(template_id, version, sources, limits)
        self._buttons = len(templates.buttons)

    def _render(self, request: RenderRequest, state: RenderState) -> CardOutput:
        title = self.render_part(state, "title").strip()
        body = self.render_part(state, "body").strip()
        image = (
            self.render_part(state, "image").strip() if "image" in self.parts else None
        )
        buttons = tuple(
            CardButton(
                self.render_part(state, f"button.{i}.label").strip(),
                self.render_part(state, f"button.{i}.action").strip(),
            )
            for i in range(self._buttons)
        )
        warnings = []
        for part, text, soft in (
            ("title", title, CARD_TITLE_SOFT),
            ("body", body, CARD_BODY_SOFT),
        ):
            length = len(graphemes(text))
            if length > soft:
                warnings.append(
                    RenderWarning(
                        f"{part}_long",
                        f"{part} has {length} characters; cards show about {soft}",
                        part,
                    )
                )
        if len(buttons) > CARD_MAX_BUTTONS:
            warnings.append(
                RenderWarning(
                    "too_many_buttons",
                    f"{len(buttons)} buttons; cards show at most {CARD_MAX_BUTTONS}",
                )
            )
        warnings.extend(
            RenderWarning("button_empty", f"button {i} has an empty label or action")
            for i, b in enumerate(buttons)
            if not b.label or not b.action
        )
        return CardOutput(
            title=title,
            body=body,
            image=image,
            buttons=buttons,
            locale=state.locale.tag,
            dir=state.locale.direction,
            warnings=tuple(warnings),
        )
