"""``createadmin --email E [--name N] [--password-file F]``: a platform administrator.

The password comes from ``--password-file``, else ``PEERWORK_ADMIN_PASSWORD``,
else a prompt (asked twice). It is never an argument, which would leave it in
the shell history and the process list.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import IntegrityError

from peerwork.accounts.services import create_platform_admin

PASSWORD_ENV = "PEERWORK_ADMIN_PASSWORD"  # noqa: S105 - the name of a variable, not a secret


class Command(BaseCommand):
    help = ("Create a platform administrator, who logs in with an email address. "
            f"Password from --password-file, the {PASSWORD_ENV} variable, or a prompt.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="the login")
        parser.add_argument("--name", default="", help="the name shown to others")
        parser.add_argument("--password-file", type=Path,
                            help="a file whose first line is the password")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        email = options["email"].strip().lower()
        name = options["name"].strip()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"Not a valid email address: {email!r}.") from exc
        if len(name) > 150:
            raise CommandError("The name is too long: at most 150 characters.")
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"An account with the email {email} already exists.")

        password = self._password(options["password_file"])
        candidate = User(email=email, name=name)
        try:
            # The candidate lets the similarity validator compare with email and name.
            validate_password(password, user=candidate)
        except ValidationError as exc:
            raise CommandError("The password was refused: " + " ".join(exc.messages)) from exc

        try:
            create_platform_admin(email=email, password=password, name=name)
        except IntegrityError as exc:
            # Another process created the same email between our check and the insert.
            raise CommandError(f"An account with the email {email} already exists.") from exc
        self.stdout.write(self.style.SUCCESS(f"Platform administrator {email} created."))
        self.stdout.write("At the first login Peerwork asks them to set up two-factor authentication.")

    def _password(self, password_file: Path | None) -> str:
        if password_file is not None:
            try:
                lines = password_file.read_text(encoding="utf-8").splitlines()
            except FileNotFoundError as exc:
                raise CommandError(f"{password_file}: no such file.") from exc
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(f"{password_file}: cannot be read: {exc}") from exc
            password = lines[0] if lines else ""
            if not password:
                raise CommandError(f"{password_file}: the first line is empty.")
            return password
        password = os.environ.get(PASSWORD_ENV, "")
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError(
                f"No password: use --password-file or {PASSWORD_ENV}, or run in a terminal."
            )
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as exc:
            raise CommandError("No password given.") from exc
        if first != second:
            raise CommandError("The two passwords differ.")
        if not first:
            raise CommandError("No password given.")
        return first
