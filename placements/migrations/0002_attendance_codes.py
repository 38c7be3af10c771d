"""The register codes that apply to a placement (School Attendance (Pupil Registration)
(England) Regulations 2024). Z (prospective pupil) and # (planned whole-school closure) are left
out: neither describes a session at a placement. K is kept, marked not allowed, so a provider's
return using it is refused with a reason rather than as an unknown code."""

from django.db import migrations

ATTENDING, AUTHORISED, UNAUTHORISED, NOT_COUNTED = "attending", "authorised", "unauthorised", "not_counted"

CODES = [
    # code, description, meaning, allowed for school-arranged placements, reason needed
    ("/", "Present (on the school site)", ATTENDING, True, False),
    ("L", "Late, arrived before the register closed", ATTENDING, True, False),
    ("B", "Attending an approved educational activity off-site, supervised by someone the school authorised",
     ATTENDING, True, False),
    ("D", "Dual registered: attending another school where the pupil is also registered", ATTENDING, True, False),
    ("K", "Attending education provision arranged by the local authority (not for provision the school arranges)",
     ATTENDING, False, False),
    ("V", "Attending an educational visit or trip", ATTENDING, True, False),
    ("P", "Participating in a sporting activity", ATTENDING, True, False),
    ("W", "Attending work experience", ATTENDING, True, False),
    ("C", "Leave of absence for exceptional circumstances", AUTHORISED, True, True),
    ("C1", "Leave of absence for a regulated performance or regulated employment abroad", AUTHORISED, True, True),
    ("C2", "Leave of absence: compulsory school age pupil on a part-time timetable", AUTHORISED, True, True),
    ("E", "Suspended or permanently excluded, no alternative provision made", AUTHORISED, True, True),
    ("I", "Illness (not a medical or dental appointment)", AUTHORISED, True, True),
    ("J1", "Leave of absence to attend an interview", AUTHORISED, True, True),
    ("M", "Medical or dental appointment", AUTHORISED, True, True),
    ("R", "Religious observance", AUTHORISED, True, True),
    ("S", "Study leave", AUTHORISED, True, True),
    ("T", "Parent travelling for occupational purposes", AUTHORISED, True, True),
    ("G", "Holiday not granted by the school", UNAUTHORISED, True, True),
    ("N", "Reason not yet established", UNAUTHORISED, True, False),
    ("O", "Absent in other or unknown circumstances", UNAUTHORISED, True, True),
    ("U", "Arrived after the register closed", UNAUTHORISED, True, True),
    ("Q", "Unable to attend: lack of access arrangements", NOT_COUNTED, True, True),
    ("X", "Not of compulsory school age and not required to attend", NOT_COUNTED, True, False),
    ("Y1", "Unable to attend: transport normally provided not available", NOT_COUNTED, True, True),
    ("Y2", "Unable to attend: widespread disruption to travel", NOT_COUNTED, True, True),
    ("Y3", "Unable to attend: part of the premises closed", NOT_COUNTED, True, True),
    ("Y4", "Unable to attend: whole premises closed unexpectedly", NOT_COUNTED, True, True),
    ("Y5", "Unable to attend: in criminal justice detention", NOT_COUNTED, True, True),
    ("Y6", "Unable to attend: public health guidance or law", NOT_COUNTED, True, True),
    ("Y7", "Unable to attend: any other unavoidable cause", NOT_COUNTED, True, True),
]  # fmt: skip


def seed_codes(apps, schema_editor):
    AttendanceCode = apps.get_model("placements", "AttendanceCode")
    for order, (code, description, meaning, allowed, needs_reason) in enumerate(CODES, start=1):
        AttendanceCode.objects.update_or_create(
            code=code,
            defaults={
                "description": description,
                "meaning": meaning,
                "allowed_for_school_placements": allowed,
                "needs_reason": needs_reason,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]

    operations = [migrations.RunPython(seed_codes, migrations.RunPython.noop)]
