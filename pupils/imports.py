"""Reading an MIS pupil export (CSV) into a plan: what each row would create, change or leave
alone, and every error with its row number. Nothing here writes; services.pupils_import applies
a plan that has no errors, all in one transaction.

Columns (docs/domain-rules.md#mis-import): UPN, legal surname and forename, preferred names, DOB, sex, NC year,
registration group, SEN provision (N/K/E), primary need, EHCP flag, Pupil Premium, FSM,
looked-after, EAL, admission date, and optionally one contact (with their title). Header names are matched
loosely (case, spaces and punctuation ignored; common MIS aliases accepted). An optional column
that is absent, or an empty cell in one, leaves that field alone on existing pupils (issue 13 D5:
an MIS report that leaves a column blank must not wipe what the school recorded in apcase).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from apcase.csv_files import UnreadableCSV, csv_rows
from apcase.greetings import TITLES, title_of
from apcase.models import School
from pupils.models import Contact, PrimaryNeed, Pupil, SenProvision, Sex, YearGroup
from pupils.upn import upn_normalise, validate_upn

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0", ""}  # MIS exports often leave a "no" flag empty


class CellError(ValueError):
    """A cell that cannot be read; the message is shown against the row."""


def _text(value: str) -> str:
    return " ".join(value.split())


def _date(value: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise CellError(f"“{value}” is not a date: use dd/mm/yyyy or yyyy-mm-dd")


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    raise CellError(f"“{value}” is not Y or N")


def _choice(choices, aliases: dict[str, str] | None = None, *, by_label: bool = False) -> Callable[[str], str]:
    lookup = {str(v).lower(): v for v in choices.values} | {str(label).lower(): v for v, label in choices.choices}
    lookup |= aliases or {}
    allowed = ", ".join(map(str, choices.labels if by_label else choices.values))

    def parse(value: str) -> str:
        try:
            return lookup[value.strip().lower()]
        except KeyError:
            raise CellError(f"“{value}” is not one of {allowed}") from None

    return parse


def _sen(value: str) -> str:
    code = value.strip().upper()
    if code == "S":
        raise CellError("S (statement) was replaced by E (EHC plan) in 2018")
    if code in ("A", "P"):
        raise CellError(f"{code} (School Action / Action Plus) was replaced by K (SEN support) in 2014")
    if code not in SenProvision.values:
        raise CellError(f"“{value}” is not an SEN provision code: use N, K or E")
    return code


def _year(value: str) -> str:
    cleaned = re.sub(r"^(year|yr|y)\s*", "", value.strip().lower()).lstrip("0") or value.strip()
    parse = _choice(YearGroup, {"reception": YearGroup.RECEPTION})
    try:
        return parse(cleaned)
    except CellError:
        raise CellError(f"“{value}” is not an NC year: use N1, N2, R or 1–13") from None


def _need(value: str) -> str:
    return _choice(PrimaryNeed)(value) if value.strip() else ""


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the name shown in the template and in messages
    parse: Callable[[str], object]
    required: bool = False
    aliases: tuple[str, ...] = ()


PUPIL_COLUMNS = [
    Column("upn", "UPN", upn_normalise, True, ("unique pupil number",)),
    Column("legal_last_name", "Legal Surname", _text, True, ("surname", "last name", "family name")),
    Column("legal_first_name", "Legal Forename", _text, True, ("forename", "first name", "given name")),
    Column("preferred_last_name", "Preferred Surname", _text),
    Column("preferred_first_name", "Preferred Forename", _text, aliases=("preferred name", "known as")),
    Column("date_of_birth", "DOB", _date, True, ("date of birth", "birth date")),
    Column("sex", "Sex", _choice(Sex, {"not known": Sex.UNKNOWN}), True, ("gender",)),
    Column("year_group", "NC Year", _year, True, ("year", "year group", "national curriculum year", "nc year actual")),
    Column("registration_group", "Registration Group", _text, aliases=("reg group", "form", "class", "tutor group")),
    Column("sen_provision", "SEN Provision", _sen, True, ("sen", "sen status")),
    Column("primary_need", "Primary Need", _need, aliases=("sen type", "sen need", "primary sen need")),
    Column("ehcp", "EHCP", lambda v: _flag(v) if v.strip() else None, aliases=("ehc plan", "ehcp flag")),
    Column("pupil_premium", "Pupil Premium", _flag, aliases=("pp",)),
    Column("fsm", "FSM", _flag, aliases=("free school meals", "fsm eligible", "fsm6")),
    Column("looked_after", "Looked After", _flag, aliases=("lac", "cla", "looked after child", "in care")),
    Column("eal", "EAL", _flag, aliases=("english as an additional language",)),
    Column("admission_date", "Admission Date", _date, True, ("enrolment date", "date of admission", "entry date")),
]


def _title(value: str) -> str:
    title = title_of(value)
    if not title:
        raise CellError(f"“{value}” is not a title: use {', '.join(TITLES)}, or leave it empty")
    return title


RELATIONSHIP_ALIASES = {"mum": "mother", "dad": "father", "stepmother": "step_parent", "stepfather": "step_parent"}
CONTACT_COLUMNS = [
    Column(key, header, parse)
    for key, header, parse in [
        ("title", "Contact Title", _title),
        ("name", "Contact Name", _text),
        ("relationship", "Contact Relationship", _choice(Contact.Relationship, RELATIONSHIP_ALIASES, by_label=True)),
        ("parental_responsibility", "Contact Parental Responsibility", _flag),
        ("address", "Contact Address", lambda v: "\n".join(p.strip() for p in v.split(",") if p.strip())),
        ("postcode", "Contact Postcode", lambda v: _text(v).upper()),
        ("phone", "Contact Phone", _text),
        ("email", "Contact Email", lambda v: v.strip()),
    ]
]
COLUMNS = PUPIL_COLUMNS + CONTACT_COLUMNS
# Fields compared with an existing pupil; "ehcp" is only a cross-check against SEN provision.
PUPIL_FIELDS = [c.key for c in PUPIL_COLUMNS if c.key != "ehcp"]


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


HEADER_LOOKUP = {
    _key(name): column
    for column in COLUMNS
    for name in (column.header, *column.aliases, *([column.header.replace("Contact", "Contact 1")]))
}


@dataclass
class RowPlan:
    number: int  # as the spreadsheet numbers it: the header is row 1
    upn: str = ""
    name: str = ""
    action: str = "error"  # create, update, unchanged or error
    errors: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    pupil_fields: dict = field(default_factory=dict)
    contact_fields: dict | None = None
    pupil: Pupil | None = None
    contact: Contact | None = None
    unreadable: set[str] = field(default_factory=set)  # fields whose cell already has an error

    @property
    def is_create(self) -> bool:
        return self.action == "create"

    @property
    def is_update(self) -> bool:
        return self.action == "update"

    @property
    def is_unchanged(self) -> bool:
        return self.action == "unchanged"


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def error_rows(self) -> list[RowPlan]:
        return [row for row in self.rows if row.errors]

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.error_rows)

    @property
    def counts(self) -> Counter:
        return Counter(row.action for row in self.rows)

    @property
    def changes_nothing(self) -> bool:
        return not self.has_errors and all(row.action == "unchanged" for row in self.rows)


def plan_import(*, school: School, content: bytes) -> ImportPlan:
    plan = ImportPlan()
    try:
        rows = csv_rows(content)
    except UnreadableCSV as error:
        plan.file_errors.append(str(error))
        return plan
    headers = rows[0] if rows else None
    if not headers:
        plan.file_errors.append("The file is empty.")
        return plan
    columns = [HEADER_LOOKUP.get(_key(h)) for h in headers]
    found = {c.key for c in columns if c}
    missing = [c.header for c in PUPIL_COLUMNS if c.required and c.key not in found]
    if missing:
        plan.file_errors.append(f"These columns are missing: {', '.join(missing)}.")
        return plan
    for number, cells in enumerate(rows[1:], start=2):
        if any(cell.strip() for cell in cells):
            plan.rows.append(_read_row(number, columns, cells))
    if not plan.rows:
        plan.file_errors.append("The file has a header but no pupils.")
        return plan
    _check_duplicates(plan.rows)
    _compare_with_database(school, plan.rows)
    return plan


def _read_row(number: int, columns: list[Column | None], cells: list[str]) -> RowPlan:
    row = RowPlan(number)
    values: dict[str, object] = {}
    for column, cell in zip(columns, cells, strict=False):
        if column is None or (not column.required and not cell.strip()):
            continue  # an empty optional cell says nothing: the stored value stays
        try:
            if column.required and not cell.strip():
                raise CellError("this cell is empty")
            values[column.key] = column.parse(cell)
        except CellError as error:
            row.errors.append(f"{column.header}: {error}.")
            row.unreadable.add(column.key)
    row.upn = str(values.get("upn", ""))
    row.name = f"{values.get('legal_first_name', '')} {values.get('legal_last_name', '')}".strip()
    row.pupil_fields = {key: values[key] for key in PUPIL_FIELDS if key in values}
    admitted = values.get("admission_date")
    if isinstance(admitted, date) and admitted > timezone.localdate():
        row.errors.append(f"Admission Date: {admitted:%d/%m/%Y} is in the future; give the day the pupil joined.")
        row.unreadable.add("admission_date")
    ehcp, sen = values.get("ehcp"), values.get("sen_provision")
    if ehcp is not None and sen is not None and ehcp != (sen == SenProvision.EHCP):
        row.errors.append("EHCP: the EHCP flag must be Y exactly when SEN provision is E.")
    contact = {c.key: values[c.key] for c in CONTACT_COLUMNS if c.key in values}
    if contact:
        row.contact_fields = contact
    return row


def cells_apply(record: models.Model, cells: dict) -> None:
    """Write a row's parsed cells onto a pupil or contact. Their names come from the column table
    (PUPIL_COLUMNS, CONTACT_COLUMNS), never from the file, and a column left empty is not among
    them: the import changes what the file gives and keeps the rest."""
    for name, value in cells.items():
        setattr(record, name, value)


def _check_duplicates(rows: list[RowPlan]) -> None:
    seen: dict[str, list[int]] = {}
    for row in rows:
        if row.upn:
            seen.setdefault(row.upn, []).append(row.number)
    for row in rows:
        others = [n for n in seen.get(row.upn, []) if n != row.number]
        if others:
            row.errors.append(f"UPN: the same UPN is also on row {', '.join(map(str, others))}.")


def _compare_with_database(school: School, rows: list[RowPlan]) -> None:
    existing = {
        p.upn: p for p in Pupil.objects.filter(upn__in=[r.upn for r in rows if r.upn]).prefetch_related("contacts")
    }
    for row in rows:
        pupil = existing.get(row.upn)
        if pupil is not None and pupil.school_id != school.pk:
            row.errors.append(
                "UPN: this UPN belongs to a pupil at another school. Check it; if the pupil has moved, "
                "that school must record their leaving first."
            )
            continue
        row.pupil = pupil
        _validate_pupil(school, row)
        if row.contact_fields is not None:
            _validate_contact(row, row.contact_fields)
        if not row.errors:
            row.action = "create" if pupil is None else ("update" if row.changes else "unchanged")


# An error about a pupil's field is named by the column it came from, as the school's file names it.
COLUMN_HEADERS = {column.key: column.header for column in PUPIL_COLUMNS}


def _field_errors(error: ValidationError, model, skip: AbstractSet[str] = frozenset()) -> list[str]:
    labels = {f.name: str(f.verbose_name) for f in model._meta.fields}
    if model is Pupil:
        labels |= COLUMN_HEADERS
    return [
        f"{capfirst(labels.get(name, name))}: {message}" if name != "__all__" else message
        for name, messages in error.message_dict.items()
        if name not in skip
        for message in messages
    ]


def _validate_pupil(school: School, row: RowPlan) -> None:
    if "upn" not in row.unreadable:
        try:
            validate_upn(row.upn)
        except ValidationError as error:
            row.errors.append(f"UPN: {error.messages[0]}")
    candidate = Pupil(school=school) if row.pupil is None else Pupil(**_field_values(row.pupil))
    cells_apply(candidate, row.pupil_fields)
    if row.pupil is not None:
        row.changes = [
            _describe_change(name, getattr(row.pupil, name), value)
            for name, value in row.pupil_fields.items()
            if getattr(row.pupil, name) != value
        ]
    try:
        candidate.full_clean(exclude=["upn", "school", "class_teacher"], validate_unique=False)
    except ValidationError as error:
        row.errors.extend(_field_errors(error, Pupil, skip=_unchecked(row.unreadable)))


# A field whose rules depend on an unreadable cell is not judged: the candidate pupil holds a
# default there, so the error would be about a value nobody entered.
DEPENDS_ON = {"sen_provision": {"primary_need", "ehcp_pathway"}}


def _unchecked(unreadable: set[str]) -> set[str]:
    return unreadable.union(*(DEPENDS_ON.get(name, set()) for name in unreadable))


def _field_values(pupil: Pupil) -> dict:
    return {f.attname: getattr(pupil, f.attname) for f in Pupil._meta.concrete_fields}


def _describe_change(name: str, old, new) -> str:
    model_field = Pupil._meta.get_field(name)
    assert isinstance(model_field, models.Field)  # the import changes the pupil's own columns only
    labels = dict(model_field.flatchoices) if model_field.choices else {}

    def show(value) -> str:
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, date):
            return f"{value:%d/%m/%Y}"
        return str(labels.get(value, value)) or "—"

    return f"{capfirst(model_field.verbose_name)}: {show(old)} → {show(new)}"


def _label(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, models.Field) else name


def _validate_contact(row: RowPlan, contact_fields: dict) -> None:
    fields = dict(contact_fields)
    if not fields.get("name"):
        row.errors.append("Contact Name: give the contact's name, or leave every contact column empty.")
        return
    if not fields.get("relationship"):
        row.errors.append("Contact Relationship: give the contact's relationship to the pupil.")
        return
    if fields.get("email"):
        try:
            validate_email(fields["email"])
        except ValidationError:
            row.errors.append(f"Contact Email: “{fields['email']}” is not an e-mail address.")
            return
    existing = {c.name.lower(): c for c in row.pupil.contacts.all()} if row.pupil else {}
    row.contact = existing.get(fields["name"].lower())
    if row.contact is None:
        # A new contact is reached the way the file allows; an existing one keeps the method
        # the school chose, so re-importing never undoes an edit made in apcase.
        fields["preferred_method"] = _contact_method(fields)
        if row.pupil is not None:
            row.changes.append(f"New contact: {fields['name']}")
    else:
        changed = [_label(Contact, name) for name, value in fields.items() if getattr(row.contact, name) != value]
        if changed:
            row.changes.append(f"Contact {row.contact.name}: new {', '.join(changed)}")
    candidate = Contact(**(_contact_values(row.contact) if row.contact else {}) | fields)
    try:
        candidate.full_clean(
            exclude=["pupil"], validate_unique=False, validate_constraints=False
        )  # clean() covers them
    except ValidationError as error:
        row.errors.extend(f"Contact {message}" for message in _field_errors(error, Contact))
    row.contact_fields = fields


def _contact_values(contact: Contact) -> dict:
    return {f.attname: getattr(contact, f.attname) for f in Contact._meta.concrete_fields}


def _contact_method(fields: dict) -> str:
    if fields.get("phone"):
        return Contact.Method.PHONE
    if fields.get("email"):
        return Contact.Method.EMAIL
    return Contact.Method.POST


def sample_csv() -> str:
    """The header row a school's MIS report should produce, for the download on the import page."""
    return ",".join(column.header for column in COLUMNS) + "\n"
