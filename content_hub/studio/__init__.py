"""The Studio: the editors' web UI at ``/studio``.

Server-rendered HTML over the same services as the JSON API (a Studio action
and the matching API call do the same thing, with the same checks), Jinja2
templates of its own, htmx for partial updates, every asset served by the
hub. ``routes.py`` builds the router; each screen is a module in ``pages/``;
sign-in and sessions are in :mod:`.auth` and :mod:`.sessions`.
"""
