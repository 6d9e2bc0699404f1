"""``python -m peerwork <command>``: Django's management commands, Peerwork's among them.

Peerwork's own: demo, createadmin, export_org, import_org, backup, restore,
check_production, library_release; ``db_worker`` runs background tasks.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415 - after the env is set
    from django.core.management import execute_from_command_line  # noqa: PLC0415

    try:
        execute_from_command_line([sys.argv[0], *sys.argv[1:]])
    except ImproperlyConfigured as exc:
        # A configuration mistake deserves one clear line, not a traceback.
        sys.stderr.write(f"peerwork: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
