"""The Voltaro demo world (``seed.data``) and its idempotent loader
(``seed.loader``): the top layer, it writes through ``content_hub.services``."""
