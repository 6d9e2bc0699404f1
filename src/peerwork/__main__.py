"""``python -m peerwork <command>``: Django's management commands, Peerwork's among them.

Peerwork's own: demo, createadmin, export_org, import_org, backup, restore,
check_production, worker (see ``python -m peerwork help <command>``).
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peerwork.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 - after the env is set

    execute_from_command_line([sys.argv[0], *sys.argv[1:]])


if __name__ == "__main__":
    main()
