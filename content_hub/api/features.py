"""/api/features/{client_key}: the GrowthBook SDK payload (SDKs send no
Authorization header: the client key in the path is a delivery key's secret)."""

from __future__ import annotations

from typing import Annotated

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter

from content_hub.live.features import FeaturePayloads, check_client_key
from content_hub.live.streams import FeatureStreams
from content_hub.services.keys import Authenticator

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
        "keys. Cached per published snapshot: send If-None-Match for a 304. "
        "`x-sse-support: enabled` tells SDKs with `streaming` on to follow "
        "/sub/{client_key}; a client key with a payload key gets "
        "`encryptedFeatures` instead of `features`."
    ),
    security=[],
    media_type="application/json",
    opt={"secret_path_param": "client_key"},
)
async def sdk_features(
    key_authenticator: NamedDependency[Authenticator],
    feature_payloads: NamedDependency[FeaturePayloads],
    feature_streams: NamedDependency[FeatureStreams],
    client_key: FromPath[str],
    if_none_match: IfNoneMatch = None,
) -> Response[bytes]:
    principal = check_client_key(await key_authenticator.principal(client_key))
    encoded = feature_payloads.for_key(key_authenticator.payload_key(principal.key_id))
    headers = {"ETag": encoded.etag, "Cache-Control": "no-cache"}
    if feature_streams.enabled:
        headers["x-sse-support"] = "enabled"
    if if_none_match is not None and encoded.etag in if_none_match:
        return Response(b"", status_code=304, headers=headers)
    return Response(encoded.body, headers=headers, media_type="application/json")
