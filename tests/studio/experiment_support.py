"""Seeding an experiment's events through the hub's own event API
(``POST /render/v1/events``), for the Studio's results tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

START = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


def experiment_events(
    key: str,
    units: tuple[int, ...],
    converted: tuple[int, ...],
    *,
    days: int = 4,
    goal: str = "purchase",
    variants: tuple[str, ...] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """``units[i]`` units exposed to variation ``i`` spread over ``days``
    days, the first ``converted[i]`` of them converting six hours later."""
    exposures: list[dict[str, Any]] = []
    conversions: list[dict[str, Any]] = []
    for variation, (count, wins) in enumerate(zip(units, converted, strict=True)):
        for n in range(count):
            at = START + timedelta(days=n % days, minutes=n % 600)
            unit = f"{key}-v{variation}-u{n}"
            exposure = {
                "event_id": f"{key}-x{variation}-{n}",
                "experiment_key": key,
                "variation_id": variation,
                "hash_value": unit,
                "at": at.isoformat(),
            }
            if variants is not None:
                exposure["variant"] = variants[variation]
            exposures.append(exposure)
            if n < wins:
                conversions.append(
                    {
                        "event_id": f"{key}-c{variation}-{n}",
                        "goal": goal,
                        "hash_value": unit,
                        "at": (at + timedelta(hours=6)).isoformat(),
                    }
                )
    return {"exposures": exposures, "conversions": conversions}


def send_events(client: Any, render_key: str, body: dict[str, list[Any]]) -> None:
    """Post in chunks of 1,000 (the API's limit) with a ``render`` key;
    ``client`` is a Litestar TestClient or an httpx client."""
    headers = {"Authorization": f"Bearer {render_key}"}
    size = max(len(v) for v in body.values())
    for start in range(0, size, 1000):
        chunk = {k: v[start : start + 1000] for k, v in body.items()}
        r = client.post("/render/v1/events", json=chunk, headers=headers)
        assert r.status_code == 202, r.text
