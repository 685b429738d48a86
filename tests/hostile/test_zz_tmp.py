import json
def test_b(world):
    h = [(b"authorization", world.auth("render")["Authorization"].encode()), (b"content-type", b"application/x-ndjson")]
    lines = [{"customer": {"attributes": {"id": "b\u0000c"}}}, {"customer": {"id": "fine-1"}}]
    r = world.raw("POST", "/render/v1/render/batch", query=b"channel=web&type=article&key=hello", headers=h, body="\n".join(json.dumps(l) for l in lines).encode())
    print("RES", r.status, r.error, r.body[:1000])
