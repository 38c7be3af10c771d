"""The end of a pupil's retention period: find the records due for review, anonymise on confirmation.

Each school sets how many years after a pupil leaves its AP records are kept (School.retention_years;
docs/domain-rules.md#retention).
Anonymising keeps the shape of the case (dates, kinds, outcomes) for the school's statistics and
removes everything that identifies the child: names, identifiers, free text, contacts, uploaded
evidence, and every history row that holds an earlier copy of them.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from pupils.models import Pupil, RetentionLog
from pupils.records import records_about


def retention_ends_on(pupil: Pupil) -> date | None:
    if pupil.leaving_date is None:
        return None
    left = pupil.leaving_date
    years = pupil.school.retention_years
    try:
        return left.replace(year=left.year + years)
    except ValueError:  # 29 February
        return left.replace(year=left.year + years, day=28)


def pupils_due_for_retention_review(*, school_ids, today: date) -> list[Pupil]:
    """Pupils who have left and whose retention period has ended, not yet anonymised."""
    candidates = (
        Pupil.objects.filter(school_id__in=school_ids, leaving_date__isnull=False, anonymised_at__isnull=True)
        .select_related("school")
        .order_by("leaving_date")
    )
    return [pupil for pupil in candidates if (ends := retention_ends_on(pupil)) is not None and ends <= today]


def _purge_history(model, queryset: QuerySet) -> int:
    if not hasattr(model, "history"):
        return 0
    ids = list(queryset.values_list("pk", flat=True))
    deleted, _ = model.history.model.objects.filter(**{f"{model._meta.pk.attname}__in": ids}).delete()
    return deleted


def _delete_after_commit(stored) -> None:
    """Files leave storage only once the anonymisation has committed: a rollback keeps them."""
    if stored:
        transaction.on_commit(partial(stored.storage.delete, stored.name))


@transaction.atomic
def pupil_anonymise(*, pupil: Pupil, actor, today: date | None = None) -> RetentionLog:
    today = today or timezone.localdate()
    if pupil.anonymised_at is not None:
        raise ValidationError("This pupil's records are already anonymised.")
    ends, left_on = retention_ends_on(pupil), pupil.leaving_date
    if ends is None or left_on is None or ends > today:
        raise ValidationError("This pupil's retention period has not ended, so their records are kept.")
    summary = {}
    # The pupil row last: other records find their rows through it.
    for record_type, queryset in sorted(records_about(pupil), key=lambda pair: not pair[0].pupil_lookup):
        purged = _purge_history(record_type.model, queryset)
        for obj in queryset if record_type.file_fields else ():
            for name in record_type.file_fields:
                _delete_after_commit(getattr(obj, name))
        if record_type.delete:
            changed, _ = queryset.delete()
        else:
            changed = queryset.update(**record_type.erase) if record_type.erase else 0
        summary[record_type.label] = {"rows": changed, "history_rows_purged": purged}
    Pupil.objects.filter(pk=pupil.pk).update(anonymised_at=timezone.now())
    return RetentionLog.objects.create(
        school_id=pupil.school_id, pupil=pupil, left_on=left_on, anonymised_by=actor, summary=summary
    )
