"""The Studio's pages: one module per screen, handlers that parse, call the
services and render."""
