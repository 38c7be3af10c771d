"""The periods a report can cover, on the school's own term calendar: a term, the year to date,
the last three terms; and, for each, the period before it to compare with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from apcase.calendar import Period, SchoolCalendar

YEAR_TO_DATE = "year-to-date"
LAST_THREE_TERMS = "last-three-terms"


@dataclass(frozen=True)
class ReportPeriod:
    key: str  # what the period form sends: YEAR_TO_DATE, LAST_THREE_TERMS or a term ("Autumn 2026/27")
    label: str  # how the report names it
    start: date
    end: date
    academic_year: str  # the year the period ends in

    @property
    def span(self) -> str:
        """How the report's sentences refer to it: "during the term", "in the year to date"."""
        return {YEAR_TO_DATE: "the year to date", LAST_THREE_TERMS: "the three terms"}.get(self.key, "the term")

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def _term(term: Period) -> ReportPeriod:
    return ReportPeriod(
        f"{term.name} {term.academic_year}",
        f"{term.name} term {term.academic_year}",
        term.start,
        term.end,
        term.academic_year,
    )


def _year_to_date(calendar: SchoolCalendar, today: date) -> ReportPeriod | None:
    year = calendar.academic_year_on(today)
    if year is None:
        return None
    end = min(today, year.end)
    return ReportPeriod(YEAR_TO_DATE, f"Year to date, {year.academic_year}", year.start, end, year.academic_year)


def _terms_label(terms: list[Period]) -> str:
    return f"{terms[0].name} {terms[0].academic_year} to {terms[-1].name} {terms[-1].academic_year}"


def _three_terms(terms: list[Period], key: str, label: str, end: date) -> ReportPeriod | None:
    if len(terms) < 3:
        return None
    return ReportPeriod(key, f"{label} ({_terms_label(terms)})", terms[0].start, end, terms[-1].academic_year)


def _last_three_terms(calendar: SchoolCalendar, today: date) -> ReportPeriod | None:
    started = [term for term in calendar.terms if term.start <= today]
    return _three_terms(
        started[-3:], LAST_THREE_TERMS, "Last three terms", min(today, started[-1].end) if started else today
    )


def report_periods(school, today: date) -> list[ReportPeriod]:
    """The periods offered: the year to date, the last three terms, then each term, newest first."""
    calendar = SchoolCalendar.for_school(school)
    spans = [_year_to_date(calendar, today), _last_three_terms(calendar, today)]
    return [span for span in spans if span] + [_term(term) for term in reversed(calendar.terms)]


def period_for(school, today: date, wanted: str = "") -> ReportPeriod | None:
    """The period asked for, else the term containing today (or the last one before it)."""
    chosen = next((period for period in report_periods(school, today) if period.key == wanted), None)
    current = SchoolCalendar.for_school(school).latest_term_on(today)
    return chosen or (_term(current) if current else None)


def previous_period(calendar: SchoolCalendar, period: ReportPeriod) -> ReportPeriod | None:
    """The period to compare with: the term before a term; the three terms before the last three;
    for the year to date, the same stretch of the year before. None when the term dates do not go
    back that far."""
    terms = calendar.terms
    if period.key == YEAR_TO_DATE:
        last_year = calendar.academic_year_on(period.start - timedelta(days=1))
        if last_year is None:
            return None
        end = min(last_year.start + (period.end - period.start), last_year.end)
        return ReportPeriod(
            period.key, f"The same weeks of {last_year.academic_year}", last_year.start, end, last_year.academic_year
        )
    before = [term for term in terms if term.end < period.start]
    if period.key == LAST_THREE_TERMS:
        return _three_terms(
            before[-3:], period.key, "The three terms before", before[-1].end if before else period.start
        )
    return _term(before[-1]) if before else None
