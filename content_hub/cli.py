"""The ``content-hub`` command: migrate, seed, serve, keys, users."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

import msgspec

from content_hub import cli_xliff
from content_hub.domain.errors import HubError
from content_hub.domain.inputs import KeyCreate
from content_hub.domain.keys import Scope
from content_hub.domain.users import Role, UserCreate
from content_hub.services.commands import NoDemoLoader, find_demo_loader, unit_of_work
from content_hub.services.keys import KeyService
from content_hub.services.locales import LocaleService
from content_hub.services.passwords import generate_password
from content_hub.services.users import UserService
from content_hub.settings import Settings, SettingsError
from content_hub.store.db import (
    create_engine,
    create_session_factory,
    migrate,
    pending_migrations,
    startup_lock,
)


def _migrate(settings: Settings) -> None:
    migrate(settings.database.url)
    print(f"database at head: {settings.database.url.split('@')[-1]}")


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    """Serve; SQLite is migrated here, PostgreSQL must be (``migrate``)."""
    import uvicorn

    from content_hub.api.malformed import HTTP_PROTOCOL

    if settings.database.is_sqlite:
        migrate(settings.database.url)
    elif pending_migrations(settings.database.url):
        raise SystemExit(
            "content-hub: the database schema is not at the newest migration; "
            "run `content-hub migrate` first"
        )
    uvicorn.run(
        "content_hub.app:app_factory",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        access_log=args.access_log,
        lifespan="on",
        http=HTTP_PROTOCOL,  # refusals of malformed HTTP as problem documents
        timeout_worker_healthcheck=args.healthcheck_timeout,
    )


async def _create_key(settings: Settings, name: str, scopes: list[Scope]) -> str:
    async with unit_of_work(settings) as deps:
        _, secret = await KeyService(deps).create(KeyCreate(name=name, scopes=scopes))
    return secret


async def _create_user(
    settings: Settings, email: str, role: str, locales: list[str], password: str
) -> None:
    """Create a Studio user through the service (its checks, its audit)."""
    data = msgspec.convert(
        {"email": email, "role": role, "locales": locales, "password": password},
        UserCreate,
    )
    async with unit_of_work(settings) as deps:
        await LocaleService(deps).ensure_default()  # as the first start would
        await UserService(deps).create(data)


DEMO_ADMIN = "admin@example.com"


async def _ensure_demo_admin(settings: Settings) -> tuple[str, str]:
    """The demo's Studio admin, created once; its password is kept in
    ``data/demo-admin.json`` (0600) next to the demo keys."""
    path = settings.data_dir / "demo-admin.json"
    if path.exists():
        saved: dict[str, str] = json.loads(path.read_text())
        return saved["email"], saved["password"]
    password = generate_password()
    async with unit_of_work(settings) as deps:
        users = UserService(deps)
        existing = await users.by_email(DEMO_ADMIN)
        if existing is None:
            await users.create(
                UserCreate(email=DEMO_ADMIN, role=Role.ADMIN, password=password)
            )
        else:  # the file was removed: a new password, shown again
            await users.set_password(existing.id, password)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.touch(mode=0o600)
    partial.write_text(json.dumps({"email": DEMO_ADMIN, "password": password}))
    os.replace(partial, path)
    return DEMO_ADMIN, password


#: The local demo's keys by name, with their scopes. ``preview`` renders and
#: may force a variant (``"preview": {"variant": ...}``), which needs both.
DEMO_KEYS: dict[str, tuple[Scope, ...]] = {
    "admin": (Scope.ADMIN,),
    "render": (Scope.RENDER,),
    "delivery": (Scope.DELIVERY,),
    "preview": (Scope.RENDER, Scope.PREVIEW),
}


def _demo_keys(settings: Settings) -> dict[str, str]:
    """Keys for the local demo, each created once and kept in the data dir
    (0600); a data dir from an older demo gets the keys it lacks.

    Called under the start-up lock; the file appears whole or not at all
    (written beside it, then renamed), so an interrupted start cannot leave
    a half-written file that breaks the next one.
    """
    path = settings.data_dir / "demo-keys.json"
    keys: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    missing = [name for name in DEMO_KEYS if name not in keys]
    for name in missing:
        scopes = list(DEMO_KEYS[name])
        keys[name] = asyncio.run(_create_key(settings, f"demo-{name}", scopes))
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.touch(mode=0o600)
        partial.write_text(json.dumps(keys, indent=2))
        os.replace(partial, path)
    return keys


def _seed(settings: Settings, synthetic: int, demo: str | None = None) -> None:
    """Load the demo (idempotent), then ``synthetic`` generated entries.

    The loader is the installed ``content_hub.demo`` entry point (``seed``
    registers one): the hub never imports its demo data. The demo load runs
    under the start-up lock, so loads and worker start-ups racing on the same
    database take turns; the synthetic entries (minutes for large counts) do
    not hold it.
    """
    loader = find_demo_loader(demo)
    with startup_lock(settings.database.url):
        if settings.database.is_sqlite:
            migrate(settings.database.url)
        report = asyncio.run(loader.load_demo(settings))
    print(f"demo: {report.summary()}")
    if synthetic:
        report = asyncio.run(loader.load_synthetic(settings, synthetic, _progress))
        print(f"\nsynthetic: {report.summary()}")


def _quickstart(settings: Settings, args: argparse.Namespace) -> None:
    find_demo_loader(args.demo)  # refused before migrating, not after
    with startup_lock(settings.database.url):  # hosts starting at once take turns
        migrate(settings.database.url)
        _seed(settings, 0, args.demo)
        keys = _demo_keys(settings)
        email, password = asyncio.run(_ensure_demo_admin(settings))
    print(f"Content hub on http://{args.host}:{args.port}  (API docs: /schema)")
    for scope, secret in keys.items():
        print(f"  {scope:<9} key: {secret}")
    print(f"  keys are kept in {settings.data_dir / 'demo-keys.json'}")
    print(f"Studio on http://{args.host}:{args.port}/studio")
    print(f"  sign in as {email} with the password {password}")
    print(f"  (kept in {settings.data_dir / 'demo-admin.json'})")
    _serve(settings, args)


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // total if total else width
    bar = "#" * filled + "-" * (width - filled)
    print(f"\r[{bar}] {done}/{total} entries", end="", file=sys.stderr, flush=True)


async def _reindex(settings: Settings) -> int:
    from content_hub.search import create_search_backend
    from content_hub.workers.indexer import SearchIndexer

    engine = create_engine(settings.database.url)
    backend = create_search_backend(
        meilisearch_url=settings.search.meilisearch_url,
        meilisearch_key=settings.search.meilisearch_key,
        data_dir=settings.data_dir,
        index_prefix=settings.search.index_prefix,
    )
    try:
        indexer = SearchIndexer(create_session_factory(engine), backend, settings)
        return await indexer.reindex(_progress)
    finally:
        backend.close()
        await engine.dispose()


HEALTHCHECK: dict[str, Any] = {
    "type": int,
    "default": 30,
    "metavar": "SECONDS",
    "help": "with --workers: restart a worker that does not answer the supervisor "
    "for this long (uvicorn's 5 s default kills workers that are merely slow to "
    "start when many start at once on few cores)",
}

DEMO: dict[str, Any] = {
    "metavar": "NAME",
    "help": "the demo loader to use (an entry point of the group "
    "content_hub.demo); needed only when several are installed",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="content-hub", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply pending database migrations")
    serve = sub.add_parser("serve", help="serve the API (migrates SQLite first)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--log-level", default="info")
    serve.add_argument(
        "--access-log", action=argparse.BooleanOptionalAction, default=False
    )
    serve.add_argument("--healthcheck-timeout", **HEALTHCHECK)
    quick = sub.add_parser(
        "quickstart", help="migrate, seed the demo once, create demo keys, serve"
    )
    quick.add_argument("--host", default="127.0.0.1")
    quick.add_argument("--port", type=int, default=8000)
    quick.add_argument("--workers", type=int, default=1)
    quick.add_argument("--log-level", default="info")
    quick.add_argument(
        "--access-log", action=argparse.BooleanOptionalAction, default=False
    )
    quick.add_argument("--healthcheck-timeout", **HEALTHCHECK)
    quick.add_argument("--demo", **DEMO)
    seed = sub.add_parser("seed", help="load the demo world (idempotent)")
    seed.add_argument(
        "--synthetic",
        type=int,
        default=0,
        metavar="N",
        help="also generate N entries synthetic-0 .. synthetic-<N-1>",
    )
    seed.add_argument("--demo", **DEMO)
    search = sub.add_parser("search", help="search index").add_subparsers(
        dest="search_command", required=True
    )
    search.add_parser("reindex", help="rebuild the search index from the database")
    keys = sub.add_parser("keys", help="manage API keys").add_subparsers(
        dest="keys_command", required=True
    )
    create = keys.add_parser("create", help="create a key and print it (last line)")
    create.add_argument(
        "--scope", action="append", required=True, choices=[s.value for s in Scope]
    )
    create.add_argument("--name", default="cli")
    users = sub.add_parser("users", help="manage Studio users").add_subparsers(
        dest="users_command", required=True
    )
    user = users.add_parser(
        "create", help="create a user; prints a one-time password (last line)"
    )
    user.add_argument("--email", required=True)
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument(
        "--locale",
        action="append",
        default=[],
        help="a locale the translator works on (repeat for several)",
    )
    user.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input instead of generating one",
    )
    cli_xliff.add_parser(sub)
    return parser


def _users_create(settings: Settings, args: argparse.Namespace) -> int:
    if settings.database.is_sqlite:
        migrate(settings.database.url)
    generated = not args.password_stdin
    password = generate_password() if generated else sys.stdin.readline().rstrip("\n")
    try:
        asyncio.run(
            _create_user(settings, args.email, args.role, args.locale, password)
        )
    except (HubError, msgspec.ValidationError) as exc:
        print(f"content-hub: {getattr(exc, 'detail', exc)}", file=sys.stderr)
        return 2
    print(f"created {args.role} {args.email.strip().lower()}")
    if generated:
        print("its one-time password, shown once:")
        print(password)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:  # a message that says what to fix, no traceback
        print(f"content-hub: {exc}", file=sys.stderr)
        return 2
    if args.command == "migrate":
        _migrate(settings)
    elif args.command == "serve":
        _serve(settings, args)
    elif args.command == "search" and args.search_command == "reindex":
        if settings.database.is_sqlite:
            migrate(settings.database.url)
        count = asyncio.run(_reindex(settings))
        engine = settings.search.meilisearch_url or "FTS5"
        print(f"\nreindexed {count} entries into {engine}")
    elif args.command in ("quickstart", "seed"):
        try:
            if args.command == "quickstart":
                _quickstart(settings, args)
            else:
                _seed(settings, args.synthetic, args.demo)
        except NoDemoLoader as exc:
            print(f"content-hub: {exc}", file=sys.stderr)
            return 2
    elif args.command == "keys" and args.keys_command == "create":
        if settings.database.is_sqlite:
            migrate(settings.database.url)
        secret = asyncio.run(
            _create_key(settings, args.name, [Scope(s) for s in args.scope])
        )
        print(
            f"created key {args.name!r} with scopes {', '.join(args.scope)}; "
            "it is shown once:"
        )
        print(secret)
    elif args.command == "users" and args.users_command == "create":
        return _users_create(settings, args)
    elif args.command == "xliff":
        return cli_xliff.run(settings, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
