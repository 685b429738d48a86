"""/metrics and request ids (the observability plugin)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import msgspec
from litestar import Litestar, Request, get
from litestar.testing import TestClient

from content_hub.api.observability import (
    JsonFormatter,
    RequestIdMiddleware,
    current_request_id,
    request_id_of,
)
from content_hub.live import metrics
from content_hub.settings import Settings
from tests.content_hub.conftest import Keys
from tests.content_hub.events_support import observed_client

SERIES = (
    "content_hub_http_requests_total",
    "content_hub_http_request_duration_seconds_bucket",
    "content_hub_renders_total",
    "content_hub_decisions_total",
    "content_hub_snapshot_age_seconds",
    "content_hub_snapshot_build_seconds",
    "content_hub_event_buffer_depth",
    "content_hub_event_flush_lag_seconds_bucket",
    "content_hub_events_written_total",
)


class TestMetrics:
    def test_metrics_expose_the_named_series(
        self, settings: Settings, keys: Keys
    ) -> None:
        with observed_client(settings) as client:
            assert (
                client.get(
                    "/manage/v1/experiments/x/results", headers=keys.headers("manage")
                ).status_code
                == 404
            )
            metrics.record_render("email", "ok")
            metrics.record_decision("experiment")
            response = client.get("/metrics", headers=keys.headers("metrics"))
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        text = response.text
        for name in SERIES:
            assert re.search(rf"^{name}\{{", text, re.M), name
        route = 'path="/manage/v1/experiments/{key}/results"'
        assert re.search(
            rf"^content_hub_http_requests_total\{{.*{re.escape(route)}.*status_code=\"404\"",
            text,
            re.M,
        )
        assert re.search(
            r'^content_hub_renders_total\{channel="email",outcome="ok"\} [1-9]',
            text,
            re.M,
        )
        for snapshot in ("delivery", "render"):
            assert re.search(
                rf'^content_hub_snapshot_age_seconds\{{snapshot="{snapshot}"\}} ',
                text,
                re.M,
            )

    def test_unknown_query_parameters_are_refused(self, settings: Settings) -> None:
        with observed_client(settings) as client:
            assert client.get("/metrics", params={"x": "1"}).status_code == 400


class TestRequestId:
    def test_round_trip_generated_and_refused_ids(
        self, settings: Settings, keys: Keys
    ) -> None:
        records: list[logging.LogRecord] = []
        capture = logging.Handler()
        capture.emit = records.append  # type: ignore[method-assign]
        access_logger = logging.getLogger("content_hub.access")
        with observed_client(
            msgspec.structs.replace(settings, access_log=True)
        ) as client:
            access_logger.addHandler(capture)
            try:
                sent = client.get("/health", headers={"X-Request-ID": "orch-42.a"})
                made = client.get("/health")
                odd = client.get("/health", headers={"X-Request-ID": "two words"})
                denied = client.post(
                    "/render/v1/events", json={}, headers={"X-Request-ID": "r-401"}
                )
            finally:
                access_logger.removeHandler(capture)
        assert sent.headers["x-request-id"] == "orch-42.a"
        assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
        assert odd.headers["x-request-id"] != "two words"
        assert denied.status_code == 401
        assert denied.headers["x-request-id"] == "r-401"
        by_id = {getattr(r, "request_id", None): r for r in records}
        assert by_id["r-401"].__dict__["status"] == 401
        line = json.loads(JsonFormatter().format(by_id["orch-42.a"]))
        assert line["request_id"] == "orch-42.a"
        assert line["path"] == "/health"
        assert line["route"] == "/health"
        assert line["status"] == 200

    def test_handlers_see_the_id_in_the_scope_and_the_contextvar(self) -> None:
        @get("/echo")
        async def echo(request: Request[Any, Any, Any]) -> dict[str, str | None]:
            return {
                "scope": request.scope.get("request_id"),
                "helper": request_id_of(request.scope),
                "var": current_request_id(),
            }

        app = Litestar([echo], middleware=[RequestIdMiddleware()])
        with TestClient(app) as client:
            body = client.get("/echo", headers={"X-Request-ID": "abc"}).json()
        assert body == {"scope": "abc", "helper": "abc", "var": "abc"}
        assert current_request_id() is None

    def test_json_formatter_writes_one_object_with_extras(self) -> None:
        record = logging.LogRecord(
            "content_hub.x", logging.WARNING, __file__, 1, "hello %s", ("you",), None
        )
        record.channel = "sms"
        line = json.loads(JsonFormatter().format(record))
        assert line["msg"] == "hello you"
        assert line["level"] == "warning"
        assert line["channel"] == "sms"
        assert "request_id" not in line
