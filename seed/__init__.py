"""The Voltaro demo world (``seed.data``) and its idempotent loader
(``seed.loader``): the top layer, it writes through ``content_hub.services``.

``seed.loader`` is the ``content_hub.demo`` entry point ``voltaro`` (see
pyproject.toml): the hub finds it by name and never imports this package.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # mypy checks the entry point has the shape the CLI calls
    from content_hub.services.commands import DemoLoader
    from seed import loader

    _ENTRY_POINT: DemoLoader = loader
