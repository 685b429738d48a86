"""The Voltaro demo world: a fictional brand selling e-bikes and electric cars.

Plain data that ``seed.loader`` writes through the hub's services: locales,
taxonomies, content types with one template per channel, media records,
audiences, 40 entries (12 articles, 10 offers, 8 hero banners, 10 onboarding
tips) and the variants and rules of the two personalised entries.

Field values ``"@media:<slug>"`` and ``"@entry:<type>/<key>"`` become
references when loaded; a referenced entry comes earlier in ``ENTRIES``.
"""

from __future__ import annotations

from typing import Any

from seed.data._articles import PRODUCT_PAGES
from seed.data._banners import BANNERS
from seed.data._media import MEDIA
from seed.data._model import AUDIENCES, CONTENT_TYPES, LOCALES, TAXONOMIES
from seed.data._offers import OFFERS
from seed.data._personalization import PERSONALIZATIONS
from seed.data._samples import SAMPLE_CUSTOMERS
from seed.data._stories import STORIES
from seed.data._templates import TEMPLATES
from seed.data._tips import TIPS

ENTRIES: list[dict[str, Any]] = [*PRODUCT_PAGES, *STORIES, *OFFERS, *BANNERS, *TIPS]

__all__ = [
    "AUDIENCES",
    "CONTENT_TYPES",
    "ENTRIES",
    "LOCALES",
    "MEDIA",
    "PERSONALIZATIONS",
    "SAMPLE_CUSTOMERS",
    "TAXONOMIES",
    "TEMPLATES",
]
