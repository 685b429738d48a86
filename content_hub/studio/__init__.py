"""The Studio: the editors' web UI at ``/studio`` (sign-in and sessions in
:mod:`.auth` and :mod:`.sessions`)."""
