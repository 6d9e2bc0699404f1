"""``python -m peerwork library_release``: freeze the library's current version.

Writes ``data/released/<version>.json``, the meaning of every id (its structure and
parent). From then on the loader refuses data that removes one of those ids or moves
it elsewhere, so a published id keeps what it means.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peerwork.framework.library import LibraryError, library_dir, load, snapshot

VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")


class Command(BaseCommand):
    help = "Freeze the framework library's current version in data/released/<version>.json."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir", type=Path, default=None,
            help="The library's data directory (default: the one this installation uses).",
        )

    def handle(self, *args: Any, data_dir: Path | None, **options: Any) -> None:
        data_dir = data_dir or library_dir()
        try:
            # Loading checks the data against every earlier release as well.
            library = load(data_dir)
        except LibraryError as exc:
            raise CommandError(f"The framework library is invalid: {exc}") from exc
        if not VERSION.fullmatch(library.version):
            raise CommandError(f"manifest.yaml: {library.version!r} cannot name a release file")
        frozen = snapshot(library)
        target = data_dir / "released" / f"{library.version}.json"
        if target.exists():
            if json.loads(target.read_text(encoding="utf-8")) != frozen:
                raise CommandError(
                    f"released/{target.name} already exists and differs from the data: "
                    f"version {library.version} is published. Give the library a new "
                    f"version in manifest.yaml before releasing the changes."
                )
            self.stdout.write(f"Version {library.version} is already released; nothing to do.")
            return
        target.parent.mkdir(exist_ok=True)
        # Ids sorted, so that the next release's file diffs cleanly against this one.
        text = json.dumps(dict(sorted(frozen.items())), indent=1, ensure_ascii=False)
        target.write_text(text + "\n", encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(
            f"Released version {library.version}: {len(frozen)} ids frozen in {target}."))
