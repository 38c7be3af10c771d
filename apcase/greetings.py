"""How every letter and e-mail opens: one function, so a parent is greeted the same way in the
parent notice, the agreement letter, a review invitation and the e-mail that carries each.

"Dear Ms Khan" when the title and the surname are known, "Dear Aisha Khan" when only the name is,
"Dear parent or carer" (or the fallback the caller gives) when there is no name at all. See
docs/policy-steps.md (issue 13 D3).
"""

from __future__ import annotations

import re

TITLES = ("Mr", "Mrs", "Miss", "Ms", "Mx", "Dr")
PARENT_FALLBACK = "parent or carer"
# A surname that starts with one of these keeps it ("Mrs de Souza", "Mr van der Berg"): taking the
# last word alone would greet Maria de Souza as "Mrs Souza".
SURNAME_PARTICLES = frozenset({"al", "bin", "da", "de", "del", "della", "der", "di", "dos", "du", "el", "la", "le",
                               "mac", "st", "ten", "ter", "van", "von"})  # fmt: skip


def title_of(word: str) -> str:
    """The title a word is ("ms." and "MS" are "Ms"), or "" if it is none."""
    cleaned = word.strip().rstrip(".").lower()
    return next((title for title in TITLES if title.lower() == cleaned), "")


def surname(name: str) -> str:
    """The family name within a full name: from its first particle after the first name, else its last word."""
    words = name.split()
    if len(words) < 2:
        return " ".join(words)
    later = words[1:]
    start = next((i for i, word in enumerate(later[:-1]) if word.lower() in SURNAME_PARTICLES), len(later) - 1)
    return " ".join(later[start:])


def greeting(*, name: str, title: str = "", fallback: str = PARENT_FALLBACK) -> str:
    """The letter's opening, without its comma. A title typed into the name ("Mrs Donna Clarke")
    counts as the title, so it is never said twice; a position after the name ("Jo Whitfield, head
    of centre", "Donna Clarke (mother)") is not part of it."""
    words = re.split(r"[,(]", name, maxsplit=1)[0].split()
    if words and title_of(words[0]):
        title, words = title or title_of(words[0]), words[1:]
    if not words:
        return f"Dear {fallback}"
    if title:
        return f"Dear {title} {surname(' '.join(words))}"
    return f"Dear {' '.join(words)}"
