"""Personal data in free text: what the warning finds, and what it leaves alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from peerwork.impact.privacy import find_personal_data, valid_national_id

VALID_IDS = ["01019000083"]


def kinds(text):
    return [(h.kind, h.text) for h in find_personal_data(text)]


def test_privacy_finds_each_kind():
    text = ("Kari ringte fra 912 34 567 og +47 22334455, skrev til kari.n@example.no, "
            "fnr 010190 00083.")
    assert kinds(text) == [("name", "Kari"), ("phone", "912 34 567"), ("phone", "+47 22334455"),
                           ("email", "kari.n@example.no"), ("national_id", "010190 00083")]


def test_privacy_mistyped_identity_number_is_still_found():
    # Arrange: the last digit of a valid number changed; it still starts with a birth date.
    assert valid_national_id("01019000083")
    assert not valid_national_id("01019000084")

    # Act / Assert
    assert kinds("Fnr 01019000084 ble oppgitt") == [("national_id", "01019000084")]
    assert kinds("D-nummer 41019000084") == [("national_id", "41019000084")]


def test_privacy_eleven_digits_that_cannot_be_a_birth_date_are_not_an_identity_number():
    # Day 99 and month 34 exist in no identity number, and the check digits are wrong.
    assert [h.kind for h in find_personal_data("Saksnummer 99349000084")] == []


def test_privacy_form_of_address_marks_a_name():
    assert kinds("Møte med fru Bakkevik om tilbudet") == [("name", "Bakkevik")]


def test_privacy_service_talk_is_left_alone():
    text = ("The evening team set up a phone line in 2027; 12 of 40 users said it helped. "
            "Per month about 30 calls. Even so, the wait was 3 weeks.")
    assert find_personal_data(text) == []


def mod11_ids() -> st.SearchStrategy[str]:
    """Random 9-digit stems completed with their two check digits, where they exist."""
    def complete(stem: str) -> str | None:
        for tail in range(100):
            candidate = f"{stem}{tail:02d}"
            if valid_national_id(candidate):
                return candidate
        return None

    return st.from_regex(r"[0-9]{9}", fullmatch=True).map(complete).filter(lambda v: v is not None)


@given(mod11_ids(), st.text(alphabet="abcdefgh ", max_size=20))
def test_privacy_any_valid_identity_number_is_found(number, padding):
    # Act
    hits = find_personal_data(f"{padding} {number} {padding}")

    # Assert
    assert [(h.kind, h.text) for h in hits] == [("national_id", number)]


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz .,;", max_size=200))
def test_privacy_lowercase_prose_has_no_hits(text):
    assert find_personal_data(text) == []
