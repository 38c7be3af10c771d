"""Unique Pupil Numbers: validation with a message that says exactly what is wrong.

python-stdnum does the arithmetic (weighted mod-23 check letter, known LA codes); its exceptions
only say "invalid", so each rule is checked here in the order a person would fix them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from stdnum.gb import upn as stdnum_upn

UPN_LENGTH = 13
NEVER_USED = "IOS"  # letters the UPN scheme never issues: too easily read as 1, 0 and 5


def upn_normalise(value: str) -> str:
    return stdnum_upn.compact(value or "")


def upn_is_temporary(upn: str) -> bool:
    """A temporary UPN ends in a letter (two serial digits plus a letter)."""
    return len(upn) == UPN_LENGTH and upn[-1].isalpha()


def upn_check_letter(body: str) -> str:
    """The check letter for the last 12 characters of a UPN (for building test and demo data)."""
    return stdnum_upn.calc_check_digit(body)


def validate_upn(value: str) -> None:
    upn = upn_normalise(value)
    if len(upn) != UPN_LENGTH:
        raise ValidationError(
            f"A UPN has 13 characters; this one has {len(upn)}. Copy it again from the MIS.", code="upn_length"
        )
    used = sorted({letter for letter in upn if letter in NEVER_USED})
    if used:
        raise ValidationError(
            f"UPNs never contain the letters I, O or S, but this one has {', '.join(used)}. "
            "It is probably the digit 1, 0 or 5.",
            code="upn_letters",
        )
    if not upn[0].isalpha() or not upn[1:12].isdigit() or not upn[12].isalnum():
        raise ValidationError(
            "A UPN is a check letter, then 11 digits, then a final digit (or a letter for a temporary UPN).",
            code="upn_format",
        )
    if int(upn[1:4]) not in stdnum_upn._la_numbers:
        raise ValidationError(
            f"Characters 2–4 of a UPN are the local authority code, and {upn[1:4]} is not a known one.",
            code="upn_la_code",
        )
    # Deliberately not naming the "right" letter: if the typo is elsewhere, swapping the check
    # letter to match would turn a wrong UPN into a valid-looking one that may be another child's.
    if upn_check_letter(upn[1:]) != upn[0]:
        raise ValidationError(
            f"The check letter {upn[0]} does not match the rest of the UPN, so a character has been "
            "mistyped. Check every character against the MIS.",
            code="upn_check_letter",
        )
