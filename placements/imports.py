"""A provider's attendance return as CSV (UPN, date, session, code, reason): read and checked
row by row before anything is recorded, so one bad row stops the whole file."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from apcase.csv_files import UnreadableCSV, csv_rows
from apcase.models import School
from placements.models import Placement
from placements.services.attendance import MarkEntry, active_codes, check_marks
from pupils.models import Pupil
from pupils.upn import upn_normalise

COLUMNS = ("upn", "date", "session", "code", "reason")
REQUIRED = COLUMNS[:4]
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


@dataclass
class ImportRow:
    number: int  # the line in the file, header being line 1
    upn: str
    entry: MarkEntry | None = None
    placement: Placement | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class AttendanceImportPlan:
    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(row.errors for row in self.rows)

    def error_lines(self) -> list[str]:
        return self.file_errors + [f"Row {row.number}: {error}" for row in self.rows for error in row.errors]

    def entries_by_placement(self) -> dict[Placement, list[MarkEntry]]:
        """The rows that passed every check, by placement."""
        grouped: dict[Placement, list[MarkEntry]] = defaultdict(list)
        for row in self.rows:
            if not row.errors and row.placement is not None and row.entry is not None:
                grouped[row.placement].append(row.entry)
        return grouped


def _parse_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _read(content: bytes, plan: AttendanceImportPlan) -> list[dict[str, str]]:
    try:
        table = csv_rows(content, windows_fallback=False)
    except UnreadableCSV as error:
        plan.file_errors.append(str(error))
        return []
    headers = [(name or "").strip().lower() for name in (table[0] if table else [])]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        plan.file_errors.append(
            f"The file needs the columns {', '.join(c.upper() if c == 'upn' else c.title() for c in COLUMNS)}; "
            f"missing: {', '.join(missing)}."
        )
        return []
    rows = [
        {header: (cells[i] if i < len(cells) else "").strip() for i, header in enumerate(headers)}
        for cells in table[1:]
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        plan.file_errors.append("The file has no rows of attendance.")
    return rows


def _placement_on(placements: list[Placement], day: date) -> Placement | None:
    return next((placement for placement in placements if placement.takes_marks_on(day)), None)


def plan_attendance_import(*, school: School, content: bytes) -> AttendanceImportPlan:
    """Every row checked: the pupil is ours, has a running placement that day, the session is
    expected there and the code may be used. Four queries, plus the school's calendar."""
    plan = AttendanceImportPlan()
    raw_rows = _read(content, plan)
    upns = {upn_normalise(raw.get("upn", "")) for raw in raw_rows}
    pupils = {p.upn: p for p in Pupil.objects.filter(school=school, upn__in=upns)}
    placements: dict[int, list[Placement]] = defaultdict(list)
    for placement in (
        Placement.objects.with_register()
        .filter(pupil__in=pupils.values())
        .select_related("school", "pupil", "provider")
    ):
        placements[placement.pupil_id].append(placement)
    seen: dict[tuple, int] = {}
    for number, raw in enumerate(raw_rows, start=2):
        row = ImportRow(number, upn_normalise(raw.get("upn", "")))
        plan.rows.append(row)
        pupil = pupils.get(row.upn)
        day = _parse_date(raw.get("date", ""))
        if pupil is None:
            row.errors.append(f"No pupil of {school.name} has the UPN “{raw.get('upn', '')}”.")
        if day is None:
            row.errors.append(f"“{raw.get('date', '')}” is not a date (use dd/mm/yyyy).")
        if not raw.get("code"):
            row.errors.append("The code is missing.")
        if row.errors or pupil is None or day is None:
            continue
        row.entry = MarkEntry(day, raw.get("session", "").lower(), raw["code"].upper(), raw.get("reason", ""))
        row.placement = _placement_on(placements[pupil.pk], day)
        if row.placement is None:
            row.errors.append(f"{pupil.display_name} has no placement running on {day:%d/%m/%Y}.")
        elif (key := (row.placement.pk, day, row.entry.session)) in seen:
            row.errors.append(f"The same session is also on row {seen[key]}.")
        else:
            seen[key] = number
    _check_sessions_and_codes(plan)
    return plan


def _check_sessions_and_codes(plan: AttendanceImportPlan) -> None:
    codes = active_codes()
    rows_by_key = defaultdict(list)
    for row in plan.rows:
        if not row.errors and row.placement is not None and row.entry is not None:
            rows_by_key[(row.placement.pk, row.entry.key)].append(row)
    for placement, entries in plan.entries_by_placement().items():
        for key, problem in check_marks(placement, entries, codes).items():
            for row in rows_by_key[(placement.pk, key)]:
                row.errors.append(problem)
