"""HTTP API: thin Litestar controllers that parse, call a service, and encode."""
