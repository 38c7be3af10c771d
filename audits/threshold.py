"""The registration threshold: a provider that educates full-time five or more pupils of compulsory
school age, or one who is looked after or has an EHC plan, is an independent school in law
(Education Act 1996 s.463) and must be registered.

Only the placements app knows how many pupils a provider has, so it registers a counter here;
audits does not import placements (dependencies point the other way). Until a counter is
registered no count-based warning is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from audits.models import Provider

# Who must register as an independent school (docs/domain-rules.md#registration-threshold).
FULL_TIME_PUPILS_REQUIRING_REGISTRATION = 5
LAC_OR_EHCP_PUPILS_REQUIRING_REGISTRATION = 1

# provider -> (full-time pupils of compulsory school age placed with the provider's organisation by any
# school, of whom looked after or with an EHC plan)
PlacementCounter = Callable[["Provider"], tuple[int, int]]

_placement_counter: PlacementCounter | None = None


def register_placement_counter(func: PlacementCounter) -> PlacementCounter:
    """Install the function that counts our full-time pupils at a provider (usable as a decorator)."""
    global _placement_counter
    _placement_counter = func
    return func


def registration_threshold_warning(
    *, provider: Provider, full_time_pupils: int, full_time_lac_or_ehcp: int
) -> str | None:
    """The warning to show loudly, or None when registration is not (yet) required by our numbers."""
    if provider.is_internal or provider.is_registered_school:
        return None
    reasons = []
    if full_time_pupils >= FULL_TIME_PUPILS_REQUIRING_REGISTRATION:
        reasons.append(f"{full_time_pupils} full-time pupils of compulsory school age (five or more)")
    if full_time_lac_or_ehcp >= LAC_OR_EHCP_PUPILS_REQUIRING_REGISTRATION:
        pupils = "pupil who is" if full_time_lac_or_ehcp == 1 else "pupils who are"
        have = "has" if full_time_lac_or_ehcp == 1 else "have"
        reasons.append(f"{full_time_lac_or_ehcp} full-time {pupils} looked after or {have} an EHC plan")
    if not reasons:
        return None
    return (
        f"{provider.name} must be registered as a school: the full-time placements there would give it "
        f"{' and '.join(reasons)}. An unregistered provider may not educate pupils full-time in these "
        "numbers. The count is of every school using apcase that places there (numbers only; "
        "docs/oversight.md); pupils placed by other schools may add to it. Do not place pupils "
        "full-time until it is registered, and tell the local authority."
    )


def provider_threshold_warning(provider: Provider) -> str | None:
    """The warning for a provider from the registered counter; None while no counter is registered."""
    if _placement_counter is None:
        return None
    full_time_pupils, full_time_lac_or_ehcp = _placement_counter(provider)
    return registration_threshold_warning(
        provider=provider, full_time_pupils=full_time_pupils, full_time_lac_or_ehcp=full_time_lac_or_ehcp
    )
