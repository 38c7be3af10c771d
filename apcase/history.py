"""Field-level change history of one record, for the "History" page every record has.

One query for the history rows (with their users), then pairwise diffs in Python: asking each
row for prev_record would cost a query per row. Foreign keys that changed are shown by name, read
with one query per related model for the whole page. Tracked many-to-many fields (m2m_fields=...)
are read for all rows at once and shown by name; simple-history's own m2m diff would query
twice per row and show raw ids.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, cast

from django.db import models
from django.utils.text import capfirst
from simple_history.utils import get_m2m_reverse_field_name

if TYPE_CHECKING:
    from apcase.models import User

HISTORY_LIMIT = 200
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}
HIDDEN_FIELDS = {"id", "public_id", "updated_at", "created_at"}


class _HistoryStamp(Protocol):
    """What simple-history reads off an instance when it saves: not fields, so no model declares them."""

    _history_user: User | None
    _history_date: datetime


def history_stamp(obj: models.Model, *, user: User | None, date: datetime | None = None) -> None:
    """Say who makes obj's next save (and when, for a record written down after the fact)."""
    stamp = cast(_HistoryStamp, obj)
    stamp._history_user = user
    if date is not None:
        stamp._history_date = date


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    action: str
    changes: list[FieldChange]


def _display(model, field_name: str, value, names: dict) -> str:
    if value in (None, ""):
        return "—"
    field = model._meta.get_field(field_name)
    if field.is_relation:
        return names.get((field.related_model, value), "(removed record)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _m2m_snapshots(rows) -> dict[str, dict[int, list[str]]]:
    """{field name: {history_id: sorted names held}} for each tracked m2m field (two queries each)."""
    snapshots = {}
    for field in getattr(rows[0], "_history_m2m_fields", []) if rows else []:
        through = getattr(rows[0], field.name).model
        target = get_m2m_reverse_field_name(field)
        links = through.objects.filter(history__in=[row.history_id for row in rows]).values_list(
            "history_id", f"{target}_id"
        )
        held = defaultdict(list)
        for history_id, target_id in links:
            held[history_id].append(target_id)
        names = {obj.pk: str(obj) for obj in field.related_model._base_manager.filter(pk__in={t for _, t in links})}
        snapshots[field.name] = {history_id: sorted(names[t] for t in ids) for history_id, ids in held.items()}
    return snapshots


def _related_names(model, deltas) -> dict:
    """{(related model, pk): name} for every foreign key value the deltas mention (a query per model)."""
    wanted: defaultdict[type[models.Model], set[object]] = defaultdict(set)
    for delta in deltas:
        for change in delta.changes if delta else []:
            field = model._meta.get_field(change.field)
            if field.is_relation and change.field not in HIDDEN_FIELDS:
                wanted[field.related_model].update(v for v in (change.old, change.new) if v not in (None, ""))
    return {
        (related, obj.pk): str(obj)
        for related, ids in wanted.items()
        for obj in related._base_manager.filter(pk__in=ids)
    }


def history_entries(obj, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    rows = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    model = type(obj)
    m2m = _m2m_snapshots(rows)
    pairs = list(zip(rows[:limit], rows[1 : limit + 1] + [None], strict=False))
    deltas = [
        newer.diff_against(older, excluded_fields=list(m2m), foreign_keys_are_objs=False)
        if older is not None and newer.history_type == "~"
        else None
        for newer, older in pairs
    ]
    names = _related_names(model, deltas)
    entries = []
    for (newer, older), delta in zip(pairs, deltas, strict=True):
        changes = []
        if delta is not None:
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                label = capfirst(model._meta.get_field(change.field).verbose_name)
                old, new = (_display(model, change.field, value, names) for value in (change.old, change.new))
                changes.append(FieldChange(label, old, new))
            for name, held in m2m.items():
                before, after = held.get(older.history_id, []), held.get(newer.history_id, [])
                if before != after:
                    label = capfirst(model._meta.get_field(name).verbose_name)
                    changes.append(FieldChange(label, ", ".join(before) or "—", ", ".join(after) or "—"))
            if not changes:
                continue  # a save that changed nothing a person would see
        who = str(newer.history_user) if newer.history_user else "System"
        entries.append(HistoryEntry(newer.history_date, who, ACTIONS.get(newer.history_type, "?"), changes))
    return entries
