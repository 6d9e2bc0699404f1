"""``createadmin``: a platform administrator with an email login and a checked password."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from conftest import PASSWORD, make_user
from peerwork.accounts.models import User

STRONG = "fjord-lighthouse-kelp-42"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("createadmin", *args, stdout=out)
    return out.getvalue()


def test_createadmin_from_password_file_creates_superuser(db, tmp_path):
    secret = tmp_path / "password"
    secret.write_text(STRONG + "\n", encoding="utf-8")

    output = run("--email", "Ada@Platform.test", "--name", "Ada", "--password-file", str(secret))

    user = User.objects.get()
    assert (user.email, user.name, user.is_staff, user.is_superuser) == ("ada@platform.test", "Ada",
                                                                         True, True)
    assert user.check_password(STRONG)
    assert "Platform administrator ada@platform.test created." in output


def test_createadmin_from_environment_variable(db, monkeypatch):
    monkeypatch.setenv("PEERWORK_ADMIN_PASSWORD", STRONG)

    run("--email", "ada@platform.test")

    assert User.objects.get(email="ada@platform.test").check_password(STRONG)


def test_createadmin_prompts_twice_in_a_terminal(db, monkeypatch):
    monkeypatch.delenv("PEERWORK_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([STRONG, STRONG])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    run("--email", "ada@platform.test")

    assert User.objects.get(email="ada@platform.test").check_password(STRONG)


def test_createadmin_prompt_mismatch_creates_nothing(db, monkeypatch):
    monkeypatch.delenv("PEERWORK_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter([STRONG, STRONG + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    with pytest.raises(CommandError, match="The two passwords differ"):
        run("--email", "ada@platform.test")
    assert User.objects.count() == 0


def test_createadmin_without_password_or_terminal_refuses(db, monkeypatch):
    monkeypatch.delenv("PEERWORK_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    with pytest.raises(CommandError, match="No password: use --password-file or PEERWORK_ADMIN_PASSWORD"):
        run("--email", "ada@platform.test")
    assert User.objects.count() == 0


def test_createadmin_duplicate_email_refused_and_account_untouched(db, monkeypatch):
    existing = make_user("ada@platform.test", "Ada")
    monkeypatch.setenv("PEERWORK_ADMIN_PASSWORD", STRONG)

    with pytest.raises(CommandError, match=r"An account with the email ada@platform\.test already exists"):
        run("--email", "ADA@platform.test")

    existing.refresh_from_db()
    assert User.objects.count() == 1
    assert (existing.is_staff, existing.is_superuser) == (False, False)
    assert existing.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1x", "The password must have at least 10 characters."),
        ("password1234", "This password is too common"),
        ("8412937560", "This password is entirely numeric"),
        ("ada.lovelace.platform", "The password is too similar to the email address"),
    ],
)
def test_createadmin_weak_password_refused(db, monkeypatch, password, reason):
    monkeypatch.setenv("PEERWORK_ADMIN_PASSWORD", password)

    with pytest.raises(CommandError, match=f"The password was refused: .*{reason}"):
        run("--email", "ada.lovelace@platform.test", "--name", "Ada Lovelace")
    assert User.objects.count() == 0


def test_createadmin_invalid_email_refused(db, monkeypatch):
    monkeypatch.setenv("PEERWORK_ADMIN_PASSWORD", STRONG)

    with pytest.raises(CommandError, match="Not a valid email address: 'not-an-email'"):
        run("--email", "not-an-email")
    assert User.objects.count() == 0


def test_createadmin_missing_password_file_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("--email", "ada@platform.test", "--password-file", str(tmp_path / "missing"))
    assert User.objects.count() == 0
