"""``export_org`` and ``import_org``: one organisation out to JSON and back, all or nothing."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope, scopes_disabled

from conftest import PASSWORD
from peerwork.accounts import services as account_services
from peerwork.accounts.models import User
from peerwork.orgs import services, transfer
from peerwork.orgs.enums import AuditAction, Role
from peerwork.orgs.models import AuditEvent, Invitation, Membership, Organisation
from peerwork.orgs.services import PROFILE_FIELDS


def profile(organisation: Organisation) -> dict[str, Any]:
    return {field: getattr(organisation, field) for field in (*PROFILE_FIELDS, "created")}


def members(organisation: Organisation) -> list[tuple[Any, ...]]:
    with scope(organisation=organisation):
        rows = Membership.objects.filter(organisation=organisation).select_related("user")
        return [(m.user_id, m.user.email, m.user.name, m.user.language, m.role, m.is_active, m.created)
                for m in rows.order_by("user__email")]


def events(organisation: Organisation) -> list[tuple[Any, ...]]:
    with scope(organisation=organisation):
        rows = AuditEvent.objects.filter(organisation=organisation).order_by("created", "id")
        return [(e.action, e.actor_id, e.actor_email, e.target, e.detail, e.created) for e in rows]


def uuids(organisation: Organisation) -> set[str]:
    with scope(organisation=organisation):
        return {str(u) for u in AuditEvent.objects.filter(organisation=organisation)
                .values_list("uuid", flat=True)}


def counts() -> dict[str, int]:
    with scopes_disabled():
        return {"organisations": Organisation.objects.count(), "users": User.objects.count(),
                "memberships": Membership.objects.count(), "events": AuditEvent.objects.count()}


def export(slug: str, path: Path) -> dict[str, Any]:
    call_command("export_org", slug, "-o", str(path), stderr=io.StringIO())
    return json.loads(path.read_text(encoding="utf-8"))


def import_(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("import_org", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def varied(world):
    """Fjordvik with a deactivated member, a Norwegian-speaking one and an open invitation."""
    with scope(organisation=world.org):
        peer = Membership.objects.get(organisation=world.org, user=world.peer)
    services.set_member_active(actor=world.org_admin, membership=peer, active=False)
    account_services.set_preferences(user=world.colleague, language="nb")
    services.invite_member(actor=world.org_admin, organisation=world.org,
                           email="invitee@fjordvik.test", role=Role.MANAGER)
    return world


def test_export_import_round_trip_keeps_profile_members_roles_and_audit_trail(varied, tmp_path):
    # Arrange
    original = varied.org
    before_profile, before_members, before_events = profile(original), members(original), events(original)
    users_before = User.objects.count()

    # Act
    export(original.slug, tmp_path / "fjordvik.json")
    output = import_(tmp_path / "fjordvik.json", "--as-slug", "fjordvik-copy")

    # Assert
    copy = Organisation.objects.get(slug="fjordvik-copy")
    assert profile(copy) == before_profile
    assert members(copy) == before_members  # the same accounts, linked by email
    copied_events = events(copy)
    assert copied_events[:-1] == before_events
    assert copied_events[-1][:4] == (AuditAction.ORG_IMPORTED, None, "", "fjordvik-copy")
    assert copied_events[-1][4] == {
        "source_slug": original.slug, "exported": copied_events[-1][4]["exported"], "members": 5,
        "new_accounts": 0, "audit_events": len(before_events), "new_event_ids": len(before_events),
    }
    assert User.objects.count() == users_before
    # One installation cannot hold an event id twice, so the copy's events got new ones.
    assert uuids(copy).isdisjoint(uuids(original))
    assert events(original)[-1][0] == AuditAction.ORG_EXPORTED
    with scope(organisation=copy):
        assert Invitation.objects.filter(organisation=copy).count() == 0
    assert output.startswith("Imported Fjordvik psykisk helse as fjordvik-copy: 5 members, ")


def test_import_after_deletion_restores_slug_and_event_ids(world, tmp_path):
    path = tmp_path / "fjordvik.json"
    document = export(world.org.slug, path)
    slug, before_events = world.org.slug, events(world.org)
    world.org.delete()

    import_(path)

    restored = Organisation.objects.get(slug=slug)
    assert events(restored)[:-1] == before_events[:-1]  # the export's own event is not in the file
    with scope(organisation=restored):
        kept = AuditEvent.objects.exclude(action=AuditAction.ORG_IMPORTED).values_list("uuid", flat=True)
        assert {str(u) for u in kept} == {e["uuid"] for e in document["audit_events"]}


def test_export_holds_no_password_hashes_or_invitations(varied):
    out = io.StringIO()

    call_command("export_org", varied.org.slug, stdout=out)

    text = out.getvalue()
    document = json.loads(text)
    jsonschema.validate(document, json.loads(transfer.SCHEMA_PATH.read_text(encoding="utf-8")))
    assert (document["format"], document["version"]) == ("peerwork-organisation", 1)
    assert [m["email"] for m in document["members"]] == [
        "analyst@fjordvik.test", "colleague@fjordvik.test", "manager@fjordvik.test",
        "org_admin@fjordvik.test", "peer@fjordvik.test",
    ]
    assert "argon2" not in text
    assert "password" not in text
    assert "invitee@fjordvik.test" not in json.dumps(document["members"])
    with scope(organisation=varied.org):
        token_hash = Invitation.objects.get(organisation=varied.org).token_hash
    assert token_hash not in text
    # Charlie's organisation leaks nothing into Fjordvik's file.
    assert "secretdal" not in text.lower()


def test_import_creates_missing_accounts_without_usable_password(world, tmp_path):
    path = tmp_path / "fjordvik.json"
    document = export(world.org.slug, path)
    document["members"].append({"email": "New.Person@Elsewhere.test", "name": "Nina", "role": "manager",
                                "is_active": True, "language": "nb",
                                "joined": "2024-03-01T09:30:00+01:00"})
    path.write_text(json.dumps(document), encoding="utf-8")

    output = import_(path, "--as-slug", "fjordvik-copy")

    newcomer = User.objects.get(email="new.person@elsewhere.test")
    assert (newcomer.name, newcomer.language, newcomer.is_staff) == ("Nina", "nb", False)
    assert not newcomer.has_usable_password()
    assert User.objects.get(pk=world.manager.pk).check_password(PASSWORD)  # linked, untouched
    copy = Organisation.objects.get(slug="fjordvik-copy")
    with scope(organisation=copy):
        joined = Membership.objects.get(organisation=copy, user=newcomer)
    assert (joined.role, joined.created.isoformat()) == ("manager", "2024-03-01T08:30:00+00:00")
    assert output.splitlines()[-1] == ("New accounts, without a password until each person sets one "
                                       "with “Forgot password” (1): new.person@elsewhere.test")


def write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document) if not isinstance(document, str) else document,
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: "{not json", "The file is not valid JSON: Expecting property name enclosed in double "
                                "quotes at line 1, column 2."),
        (lambda d: [], "The file is not a Peerwork organisation export."),
        (lambda d: {**d, "format": "something-else"}, "The file is not a Peerwork organisation export."),
        (lambda d: {**d, "version": 2}, "Export version 2 cannot be read; this Peerwork reads version 1."),
        (lambda d: {k: v for k, v in d.items() if k != "members"},
         "The file does not follow the export format at the top level: 'members' is a required property"),
        (lambda d: {**d, "members": [{**d["members"][0], "password": "argon2$..."}]},
         "The file does not follow the export format at members/0: Additional properties are not "
         "allowed ('password' was unexpected)"),
        (lambda d: {**d, "members": [{**d["members"][0], "role": "boss"}]},
         "Member 1 (analyst@fjordvik.test) has an unknown role: boss."),
        (lambda d: {**d, "members": [d["members"][0], d["members"][0]]},
         "Member 2 (analyst@fjordvik.test) is listed twice."),
        (lambda d: {**d, "organisation": {**d["organisation"], "type": "pirate"}},
         "Unknown organisation type: pirate."),
        (lambda d: {**d, "members": [{**d["members"][0], "email": "not an email"}]},
         "Member 1 has an invalid email address: not an email."),
    ],
    ids=["malformed-json", "not-an-object", "wrong-format", "wrong-version", "missing-members",
         "password-field", "unknown-role", "duplicate-member", "unknown-type", "bad-email"],
)
def test_import_invalid_file_raises_and_saves_nothing(world, tmp_path, change, message):
    document = export(world.org.slug, tmp_path / "good.json")
    document["organisation"]["slug"] = "fresh-slug"
    path = write(tmp_path / "bad.json", change(document))
    before = counts()

    with pytest.raises(CommandError) as raised:
        import_(path)

    assert str(raised.value) == f"{path}: nothing imported. {message}"
    assert counts() == before


def test_import_failing_late_rolls_back_organisation_and_new_accounts(world, tmp_path):
    # The bad date sits in the last audit event: the organisation and the new account
    # are already written when it is found, so only the transaction can undo them.
    document = export(world.org.slug, tmp_path / "good.json")
    document["members"].append({"email": "nina@elsewhere.test", "name": "Nina", "role": "manager",
                                "is_active": True, "language": "", "joined": "2024-03-01T09:30:00+01:00"})
    document["audit_events"][-1]["created"] = "2024-02-30T10:00:00+00:00"
    path = write(tmp_path / "bad.json", document)
    before = counts()

    with pytest.raises(CommandError, match=r"nothing imported\. Not a valid date and time: 2024-02-30"):
        import_(path, "--as-slug", "fjordvik-copy")

    assert counts() == before
    assert not User.objects.filter(email="nina@elsewhere.test").exists()
    assert not Organisation.objects.filter(slug="fjordvik-copy").exists()


def test_import_existing_slug_refused_with_advice(world, tmp_path):
    path = tmp_path / "fjordvik.json"
    export(world.org.slug, path)
    before = counts()

    with pytest.raises(CommandError) as raised:
        import_(path)

    assert str(raised.value) == (
        f"{path}: nothing imported. An organisation with the short name {world.org.slug} already "
        "exists. Use --as-slug NEW to import it under another short name."
    )
    assert counts() == before


def test_import_as_invalid_slug_refused(world, tmp_path):
    path = tmp_path / "fjordvik.json"
    export(world.org.slug, path)
    before = counts()

    with pytest.raises(CommandError, match="The organisation's profile is invalid: slug: "):
        import_(path, "--as-slug", "not a slug!")
    assert counts() == before


def test_import_missing_file_refused(db, tmp_path):
    with pytest.raises(CommandError, match=r"missing\.json: no such file\."):
        import_(tmp_path / "missing.json")


def test_export_unknown_slug_refused(db):
    with pytest.raises(CommandError, match=r"No organisation has the short name 'nowhere'\."):
        call_command("export_org", "nowhere", stdout=io.StringIO())
