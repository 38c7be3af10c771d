"""The migrated SQLite test database, kept between runs while no migration changes.

Rendering the migration state of every app is most of the time a test process spends before its
first test (each xdist worker pays it). The first run migrates as usual and saves the result to
var/; later runs copy it into their in-memory database with SQLite's backup API, so the schema and
the rows the data migrations add are exactly what `migrate` made. Any change to a migration file,
to Django or to SQLite changes the key and the next run migrates again. APCASE_TEST_DB_CACHE=0 turns
it off; PostgreSQL runs always migrate.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management.commands import migrate
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections


def _key() -> str:
    digest = hashlib.sha256(f"{django.__version__} {sqlite3.sqlite_version}".encode())
    for config in sorted(apps.get_app_configs(), key=lambda config: config.label):
        folder = Path(config.path) / "migrations"
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def use_saved_migrations() -> None:
    """Make the test database's `migrate` restore the saved copy when there is one, else save one."""
    if os.environ.get("APCASE_TEST_DB_CACHE") == "0" or connections["default"].vendor != "sqlite":
        return
    folder = Path(settings.DATA_DIR) / "test-db"
    saved = folder / f"migrated-{_key()}.sqlite3"
    original = migrate.Command.handle

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        name = str(connection.settings_dict["NAME"])
        if name != ":memory:" and "mode=memory" not in name:
            return original(self, *args, **options)
        connection.ensure_connection()
        if saved.exists():
            with closing(sqlite3.connect(saved)) as source:
                source.backup(connection.connection)
            # As migrate ends: the receivers find their rows made and warm their caches (content types).
            emit_post_migrate_signal(0, False, connection.alias)
            return None
        result = original(self, *args, **options)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("migrated-*.sqlite3"):
            if stale != saved:
                stale.unlink(missing_ok=True)
        partial = folder / f".{saved.name}.{os.getpid()}"
        with closing(sqlite3.connect(partial)) as target:
            connection.connection.backup(target)
        partial.replace(saved)  # atomic: a second worker saving at once never leaves half a file
        return result

    # Patched for this test process only (mypy: assigning to a method is what this does on purpose).
    migrate.Command.handle = handle  # type: ignore[method-assign]
