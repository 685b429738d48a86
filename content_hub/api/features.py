"""/api/features/{client_key}: the GrowthBook SDK payload (SDKs send no
Authorization header: the client key in the path is a delivery key's secret)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, get
from litestar.params import FromPath, HeaderParameter

from content_hub.api.params import hub_of
from content_hub.services.features import check_client_key

IfNoneMatch = Annotated[
    str | None, HeaderParameter(name="If-None-Match", required=False, max_length=500)
]


@get(
    "/api/features/{client_key:str}",
    tags=["features"],
    summary="GrowthBook SDK payload of the published rules",
    description=(
        "Point a GrowthBook SDK's apiHost at the hub and use a delivery key as "
        "the client key. Feature keys are '<type>.<entry key>', values variant "
        "keys. Cached per published snapshot: send If-None-Match for a 304."
    ),
    security=[],
    media_type="application/json",
    opt={"secret_path_param": "client_key"},
)
async def sdk_features(
    request: Request[Any, Any, Any],
    client_key: FromPath[str],
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    hub = hub_of(request)
    check_client_key(await hub.authenticator.principal(client_key))
    encoded = hub.features.payload()
    headers = {"ETag": encoded.etag, "Cache-Control": "no-cache"}
    if if_none_match is not None and encoded.etag in if_none_match:
        return Response(b"", status_code=304, headers=headers)
    return Response(encoded.body, headers=headers, media_type="application/json")
