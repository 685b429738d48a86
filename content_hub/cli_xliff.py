"""``content-hub xliff export|import``: translations as XLIFF 2.1 files
(see :mod:`content_hub.services.xliff`), run as the system actor."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

import msgspec

from content_hub.domain.errors import HubError
from content_hub.domain.translations import TranslationStatus
from content_hub.services.commands import unit_of_work
from content_hub.services.xliff import export, import_document
from content_hub.settings import Settings
from content_hub.store.db import migrate


def add_parser(sub: Any) -> None:
    xliff = sub.add_parser("xliff", help="export or import translations (XLIFF 2.1)")
    commands = xliff.add_subparsers(dest="xliff_command", required=True)
    out = commands.add_parser("export", help="write an XLIFF 2.1 file")
    out.add_argument("--target", required=True, help="the target locale")
    out.add_argument("--source", help="the source locale (default: the default)")
    out.add_argument("--type", action="append", default=[], dest="types")
    out.add_argument("--entry", action="append", default=[], dest="entries")
    out.add_argument(
        "--term",
        action="append",
        default=[],
        dest="terms",
        help="entries carrying this term (id or taxonomy:key, descendants too)",
    )
    out.add_argument("--only", choices=["missing", "outdated"])
    out.add_argument("--output", "-o", default="-", help="a file, or - for stdout")
    into = commands.add_parser(
        "import", help="write an XLIFF file's targets into drafts; prints a report"
    )
    into.add_argument("file", help="an XLIFF 2 file, or - for stdin")


async def _export(settings: Settings, args: argparse.Namespace) -> bytes:
    async with unit_of_work(settings) as deps:
        return await export(
            deps,
            target=args.target,
            source=args.source,
            types=args.types,
            entry_ids=args.entries,
            terms=args.terms,
            only=TranslationStatus(args.only) if args.only else None,
        )


async def _import(settings: Settings, data: bytes) -> bytes:
    async with unit_of_work(settings) as deps:
        report = await import_document(deps, data)
    return msgspec.json.format(msgspec.json.encode(report))


def run(settings: Settings, args: argparse.Namespace) -> int:
    if settings.database.is_sqlite:
        migrate(settings.database.url)
    try:
        if args.xliff_command == "export":
            body = asyncio.run(_export(settings, args))
            if args.output == "-":
                sys.stdout.buffer.write(body)
            else:
                with open(args.output, "wb") as fh:
                    fh.write(body)
            return 0
        if args.file == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(args.file, "rb") as fh:
                data = fh.read()
        sys.stdout.buffer.write(asyncio.run(_import(settings, data)) + b"\n")
    except (HubError, OSError) as exc:
        print(f"content-hub: {getattr(exc, 'detail', exc)}", file=sys.stderr)
        return 2
    return 0
