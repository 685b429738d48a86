"""One repository per feature; each takes an ``AsyncSession`` and never commits."""

from content_hub.store.repositories.content_types import ContentTypeRepository
from content_hub.store.repositories.entries import EntryRepository
from content_hub.store.repositories.keys import KeyRepository
from content_hub.store.repositories.locales import LocaleRepository

__all__ = [
    "ContentTypeRepository",
    "EntryRepository",
    "KeyRepository",
    "LocaleRepository",
]
