"""What a render answers: the :class:`RenderOut` document and the channel
output as JSON."""

from __future__ import annotations

from typing import Any

import msgspec

_decode_json = msgspec.json.Decoder().decode
_encode_json = msgspec.json.Encoder().encode


def _plain_str(value: Any) -> Any:
    """A ``str`` subclass (``Markup``: rich text in the web output's ``data``)
    as the string it holds."""
    if isinstance(value, str):
        return str(value)
    raise NotImplementedError(f"cannot encode {type(value).__name__}")


class DecisionOut(msgspec.Struct, frozen=True, kw_only=True):
    rule_id: str | None
    reason: str
    experiment_key: str | None = None
    variation_index: int | None = None
    hash_attribute: str | None = None
    hash_value: str | None = None
    in_experiment: bool = False
    exposure_logged: bool = False
    trace: list[dict[str, Any]] = []


class RenderOut(msgspec.Struct, frozen=True, kw_only=True):
    """A render: the channel output, why this variant, which locale served what."""

    entry_id: str
    type: str
    key: str
    version: int
    channel: str
    locale: str
    variant: str
    decision: DecisionOut
    field_locales: dict[str, str | None]
    output: dict[str, Any]
    warnings: list[dict[str, Any]]
    etag: str
    request_id: str | None = None


def output_dict(output: Any) -> dict[str, Any]:
    """A channel output as JSON: payload bytes become the JSON they hold.

    The web renderer's ``json`` (its ``data`` encoded, for callers of the
    library that send bytes) is left out: the API sends ``data`` once."""
    out: dict[str, Any] = {}
    fields = output.__struct_fields__
    for name in fields:
        if name == "warnings" or (name == "json" and "data" in fields):
            continue
        value = getattr(output, name)
        if isinstance(value, bytes):
            try:
                value = _decode_json(value)
            except msgspec.DecodeError:
                value = value.decode("utf-8", "replace")
        out[name] = msgspec.to_builtins(value, enc_hook=_plain_str)
    return out


def with_output_json(out: RenderOut, output: msgspec.Raw) -> RenderOut:
    """A copy of ``out`` holding its channel output already encoded (``output``
    is the JSON of ``out.output``, as :class:`content_hub.live.render_state.
    Rendered` keeps it), to be encoded at once: the same bytes as encoding
    ``out``, without encoding the output dict again on every request.
    ``structs.replace`` checks no types, so the ``Raw`` takes the dict's place
    only in this copy."""
    return msgspec.structs.replace(out, output=output)


def encode_render(out: RenderOut, output: msgspec.Raw) -> bytes:
    """``out`` as JSON, its channel output given already encoded
    (:func:`with_output_json`)."""
    return _encode_json(with_output_json(out, output))
