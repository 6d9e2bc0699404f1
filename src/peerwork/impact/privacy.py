"""Find likely personal data in free text, so a form can warn before it is saved.

Pure and deliberately cautious: a warning the user can dismiss costs little, a
service user named in the impact log costs much. It looks for email addresses,
Norwegian national identity numbers (11 digits whose two check digits are valid, or
that begin with a possible birth date: a number mistyped by one digit still points to
a person; D- and H-numbers pass the same checks), phone numbers, and names: common
given names, or a capitalised word after a form of address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 11 digits, possibly written as 6 + 5 with a space.
NATIONAL_ID = re.compile(r"(?<![\d-])(\d{6})\s?(\d{5})(?![\d-])")
# Norwegian numbers: 8 digits, optionally +47/0047, grouped 8, 3-2-3, 2-2-2-2 or 4-4;
# other international numbers: + and 7 to 14 digits with optional spaces or dashes.
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)47[\s-]?)?(?:[2-9]\d{7}|[2-9]\d{2}[\s-]\d{2}[\s-]\d{3}|"
    r"[2-9]\d[\s-]\d{2}[\s-]\d{2}[\s-]\d{2}|[2-9]\d{3}[\s-]\d{4})(?!\d)"
    r"|(?<![\w+])\+(?!47)\d{1,3}(?:[\s-]?\d){6,13}(?!\d)")
ADDRESS_FORM = re.compile(r"\b(?:[Hh]err|[Ff]ru|[Ff]rk|Mr|Mrs|Ms|Miss)\.?\s+([A-ZÆØÅ][a-zæøåé]+)")
WORD = re.compile(r"\b[A-ZÆØÅ][a-zæøåé]+(?:-[A-ZÆØÅ][a-zæøåé]+)?\b")

# Common given names in Norway (our own short list; a warning, not a register). Names
# that are also everyday words (Even, Odd, Per, Liv, Tone, Tor, Hans, Jan) are left out.
GIVEN_NAMES = frozenset("""
Aksel Alexander Ali Amalie Andreas Anders Anna Anne Arne Astrid Aud Audun Bjørn Camilla
Daniel Eirik Elias Elin Elisabeth Ella Emil Emma Erik Frida Geir Gunnar Hanna Hanne
Hans Harald Heidi Helene Henrik Hilde Ida Inger Ingrid Ivar Jakob Jens Johan Johanne
Jon Jonas Julie Kari Karin Karl Kjell Knut Kristian Kristin Lars Leah Lene Magnus
Maja Maria Marius Markus Marte Martin Mathias Mohammed Mona Morten Nils Nina Nora Ola
Olav Ole Oliver Petter Ragnhild Randi Rune Sara Sigrid Silje Simen Siri Sofie Solveig
Stian Svein Synne Sølvi Terje Thea Thomas Tobias Torbjørn Trond Turid Vilde
Wenche William Øystein Åse
""".split())  # noqa: SIM905 - a word list reads better as text


@dataclass(frozen=True)
class Hit:
    kind: str  # "email", "national_id", "phone" or "name"
    text: str
    start: int


def valid_national_id(digits: str) -> bool:
    """Both check digits of an 11-digit Norwegian identity number are right."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    k1 = 11 - sum(w * x for w, x in zip((3, 7, 6, 1, 8, 9, 4, 5, 2), d[:9], strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    k2 = 11 - sum(w * x for w, x in zip((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), [*d[:9], k1],
                                        strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    return k1 < 10 and k2 < 10 and d[9] == k1 and d[10] == k2


def starts_with_birth_date(digits: str) -> bool:
    """The first six digits could be the birth date of an identity number: day 01-31
    (41-71 in a D-number), month 01-12 (41-52 in an H-number, 81-92 in a synthetic one)."""
    day, month = int(digits[:2]), int(digits[2:4])
    return (1 <= day <= 31 or 41 <= day <= 71) and (
        1 <= month <= 12 or 41 <= month <= 52 or 81 <= month <= 92)


def find_personal_data(text: str) -> list[Hit]:
    """Likely personal data in ``text``, in order of position, each span once."""
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        hits.append(Hit(kind, text[start:end], start))

    for match in EMAIL.finditer(text):
        add("email", match.start(), match.end())
    for match in NATIONAL_ID.finditer(text):
        digits = match.group(1) + match.group(2)
        if valid_national_id(digits) or starts_with_birth_date(digits):
            add("national_id", match.start(), match.end())
    for match in PHONE.finditer(text):
        add("phone", match.start(), match.end())
    for match in ADDRESS_FORM.finditer(text):
        add("name", match.start(1), match.end(1))
    for match in WORD.finditer(text):
        if any(part in GIVEN_NAMES for part in match.group(0).split("-")):
            add("name", match.start(), match.end())
    return sorted(hits, key=lambda h: h.start)


def personal_data_in(*texts: str) -> list[Hit]:
    """Hits across several fields."""
    return [hit for text in texts for hit in find_personal_data(text)]
