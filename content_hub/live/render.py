"""Personalised renders: decide the variant, resolve fields, render a channel.

The path reads only the in-memory snapshots (delivery + render); exposures go
to a buffered sink. Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

import msgspec

from content_hub.domain.errors import (
    NotFound,
    NulCharacter,
    ValidationFailed,
)
from content_hub.domain.events import Exposure, RenderReceipt
from content_hub.domain.render import ContextIn, CustomerIn
from content_hub.domain.text import NUL
from content_hub.live import metrics
from content_hub.live.delivery import choose_locale
from content_hub.live.generation import Published
from content_hub.live.render_output import DecisionOut, RenderOut, output_dict
from content_hub.live.render_problems import render_problem
from content_hub.live.render_runner import RenderRunner
from content_hub.live.render_state import Rendered
from content_hub.live.sticky import attribute_pairs, sticky_pairs
from content_hub.live.target import Target, target_of
from renderers import Customer as RCustomer
from renderers import (
    RenderContext,
    RenderError,
    RenderRequest,
)
from variants import Customer as VCustomer
from variants import Decision, StickyBucketService, UnknownVariantError, decide

__all__ = ["DecisionOut", "RenderOut", "RenderService"]


class ExposureSink(Protocol):
    @property
    def receipts(self) -> bool:
        """Whether render receipts are recorded at all (skip building them)."""
        ...

    def record_exposures(self, exposures: list[Exposure]) -> None: ...

    def record_receipt(self, receipt: RenderReceipt) -> bool: ...


_encoder = msgspec.json.Encoder()
MAX_TARGETS = 65_536
"""Render targets (entry x channel, as requests name them) a generation keeps."""
EXPOSED_MEMORY = 200_000
"""Exposures a render service remembers having recorded (then it starts over)."""
_YIELD_EVERY = 16
_NO_CONTEXT = ContextIn()


def variants_customer(c: CustomerIn) -> VCustomer:
    """The request's customer as the ``variants`` library sees it."""
    return VCustomer(
        id=c.id,
        anonymous_id=c.anonymous_id,
        attributes=c.attributes,
        segments=c.segments,
    )


def render_context(c: ContextIn | None) -> RenderContext:
    """The renderers' context for a request's (what templates see as ``context``)."""
    if c is None:
        return RenderContext()
    return RenderContext(
        campaign=c.campaign,
        journey_step=c.journey_step,
        utm=c.utm,
        tracking=c.tracking,
        unsubscribe_url=c.unsubscribe_url,
        unsubscribe_mailto=c.unsubscribe_mailto,
        timezone=c.timezone,
        extra=c.extra,
    )


class RenderService:
    def __init__(
        self,
        published: Published,
        sink: ExposureSink | None,
        runner: RenderRunner | None = None,
    ) -> None:
        self.published = published
        self.sink = sink
        self.runner = runner or RenderRunner()
        self._exposed: set[str] = set()
        """Exposures this service already handed to its sink: a returning
        customer's render records nothing again (the sink and the store
        would keep the first one anyway: the event id is deterministic)."""

    def target(
        self,
        *,
        entry_id: str | None,
        type_key: str | None,
        key: str | None,
        channel: str,
    ) -> Target:
        generation = self.published.generation  # one read: both halves agree
        named = (entry_id, type_key, key, channel)
        targets = generation.targets
        found = targets.get(named)
        if found is not None:
            return found
        state = generation.delivery
        if entry_id is None:
            if not type_key or not key:
                raise ValidationFailed(
                    "Name the entry by entry_id, or by type and key.",
                    errors=[],
                )
            entry_id = state.by_key.get((type_key, key))
        entry = state.entries.get(entry_id) if entry_id else None
        if entry is None:
            raise NotFound("No published entry matches the request.")
        info = state.types.get(entry.type)
        found = target_of(entry, info, channel, generation.render, state.locales)
        if len(targets) >= MAX_TARGETS:
            targets.clear()  # cheap and rare: the next requests fill it again
        targets[named] = found
        return found

    async def served(
        self,
        target: Target,
        customer: CustomerIn,
        context: ContextIn | None,
        locale: str,
        *,
        forced_variant: str | None = None,
        request_id: str | None = None,
        sticky: StickyBucketService | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> tuple[RenderOut, msgspec.Raw]:
        """Render for one customer and record its exposure and receipt; raises
        a HubError (422) the caller reports. Beside the document, its channel
        output already encoded as JSON (what the answer sends:
        :func:`content_hub.live.render_output.encode_render`)."""
        decision, rendered = await self.decided(
            target, customer, context, locale, forced_variant, sticky, attributes
        )
        metrics.record_render(target.channel)
        metrics.record_decision(_source(decision))
        logged = self._expose(target, decision, customer)
        if forced_variant is None and self.sink is not None and self.sink.receipts:
            self.sink.record_receipt(
                RenderReceipt(
                    entry_id=target.entry.id,
                    version=target.entry.version,
                    variant=decision.variant,
                    locale=locale,
                    channel=target.channel,
                    customer_id=customer.id,
                    request_id=request_id,
                    at=datetime.now(UTC),
                )
            )
        out = self.out(target, decision, locale, rendered, logged, request_id)
        return out, rendered.encoded

    async def decided(
        self,
        target: Target,
        customer: CustomerIn,
        context: ContextIn | None,
        locale: str,
        forced_variant: str | None = None,
        sticky: StickyBucketService | None = None,
        attributes: Mapping[str, Any] | None = None,
    ) -> tuple[Decision, Rendered]:
        """The decision and the render, recording nothing: what a live render
        (:meth:`served`) and a preview (:mod:`content_hub.services.preview_render`,
        over a draft :class:`Target`) share."""
        decision = self._decide(target, customer, forced_variant, sticky, attributes)
        # The same output for every customer (no context; the template reads
        # only fields and locale): rendered once per variant and locale.
        shared = (
            context is None or context == _NO_CONTEXT
        ) and target.renderer.recipient_free
        key = (target.entry.id, target.entry.version, target.channel)
        rendered = (
            target.state.output(key, decision.variant, locale) if shared else None
        )
        if rendered is None:
            rendered = await self._render(
                target, decision.variant, customer, context, locale
            )
            if shared:
                target.state.keep_output(key, decision.variant, locale, rendered)
        return decision, rendered

    async def _render(
        self,
        target: Target,
        variant: str,
        customer: CustomerIn,
        context: ContextIn | None,
        locale: str,
    ) -> Rendered:
        resolved = target.state.fields(
            target.entry, variant, locale, target.info, target.locales
        )
        request = RenderRequest(
            fields=resolved.values,
            text_fields=(
                resolved.text_values
                if target.renderer.has_text_parts
                else resolved.values
            ),
            customer=RCustomer(
                id=customer.id or "",
                attributes=customer.attributes,
                segments=customer.segments,
            ),
            locale=locale,
            context=render_context(context),
        )
        try:
            output = await self.runner.render(target.renderer, request)
        except RenderError as exc:
            metrics.record_render(target.channel, exc.code or "render-failed")
            raise render_problem(exc) from exc
        body = output_dict(output)
        encoded = _encoder.encode(body)
        digest = hashlib.blake2b(encoded, digest_size=12).hexdigest()
        return Rendered(
            body=body,
            encoded=msgspec.Raw(encoded),
            warnings=msgspec.to_builtins(output.warnings),
            served_by=resolved.served_by,
            etag=f'"{digest}"',
        )

    @staticmethod
    def out(
        target: Target,
        decision: Decision,
        locale: str,
        rendered: Rendered,
        logged: bool,
        request_id: str | None,
    ) -> RenderOut:
        return RenderOut(
            entry_id=target.entry.id,
            type=target.entry.type,
            key=target.entry.key,
            version=target.entry.version,
            channel=target.channel,
            locale=locale,
            variant=decision.variant,
            decision=DecisionOut(
                rule_id=decision.rule_id,
                reason=str(decision.reason),
                experiment_key=decision.experiment_key,
                variation_index=decision.variation_index,
                hash_attribute=decision.hash_attribute,
                hash_value=decision.hash_value,
                in_experiment=decision.in_experiment,
                exposure_logged=logged,
                trace=msgspec.to_builtins(decision.trace),
            ),
            field_locales=rendered.served_by,
            output=rendered.body,
            warnings=rendered.warnings,
            etag=rendered.etag,
            request_id=request_id,
        )

    def _decide(
        self,
        target: Target,
        customer: CustomerIn,
        forced: str | None,
        sticky: StickyBucketService | None,
        attributes: Mapping[str, Any] | None = None,
    ) -> Decision:
        """``attributes``: the customer's condition attributes, when the
        caller derived them already (:meth:`attributes`)."""
        try:
            return decide(
                target.ruleset,
                variants_customer(customer),
                forced_variant=forced,
                sticky=sticky,
                attributes=attributes,
            )
        except UnknownVariantError as exc:
            raise ValidationFailed(str(exc), errors=[]) from exc

    def _expose(self, target: Target, decision: Decision, customer: CustomerIn) -> bool:
        if (
            not decision.log_exposure
            or self.sink is None
            or decision.experiment_key is None
        ):
            return False
        hash_value = decision.hash_value or ""
        if NUL in hash_value:  # it would be stored: refuse it now, not at the flush
            raise NulCharacter(
                f"The customer's {decision.hash_attribute or 'id'!r}, the hash "
                "attribute of an experiment, contains a NUL character (U+0000)."
            )
        raw = (
            f"{decision.experiment_key}|{hash_value}|{target.channel}|{target.entry.id}"
        )
        exposed = self._exposed
        if raw in exposed:
            return True
        if len(exposed) >= EXPOSED_MEMORY:
            exposed.clear()
        exposed.add(raw)
        self.sink.record_exposures(
            [
                Exposure(
                    event_id="r-"
                    + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest(),
                    experiment_key=decision.experiment_key,
                    variation_id=decision.variation_index or 0,
                    variant=decision.variant,
                    hash_attribute=decision.hash_attribute or "id",
                    hash_value=hash_value,
                    entry_id=target.entry.id,
                    channel=target.channel,
                    source="render",
                    at=datetime.now(UTC),
                )
            ]
        )
        return True

    def locale(self, requested: str | None, accept_language: str | None) -> str:
        return choose_locale(
            self.published.generation.delivery.locales, requested, accept_language
        )

    def sticky_pairs(
        self, target: Target, customers: Iterable[CustomerIn]
    ) -> list[tuple[str, str]]:
        """Identifiers whose sticky-bucket documents the decisions may read."""
        return sticky_pairs(target.ruleset, [variants_customer(c) for c in customers])

    @staticmethod
    def attributes(customer: CustomerIn) -> dict[str, Any]:
        """One customer's condition attributes (what rules and hashing read),
        derived once per render for its sticky pairs and its decision."""
        return variants_customer(customer).condition_attributes()

    @staticmethod
    def attribute_pairs(
        target: Target, attributes: Mapping[str, Any]
    ) -> list[tuple[str, str]]:
        """:meth:`sticky_pairs` of one customer, from its :meth:`attributes`."""
        names = target.ruleset.sticky_attributes
        return list(attribute_pairs(names, attributes)) if names else []


def _source(decision: Decision) -> str:
    """The rule type that decided (personalise, experiment, ...) or why none did."""
    if decision.rule_id is not None:
        for step in reversed(decision.trace):
            if step.rule_id == decision.rule_id:
                return step.rule_type
    return str(decision.reason)
