from apcase.models import Notification
from apcase.tests.access import Case, expect


def _sendco_notification(world):
    note = Notification.objects.create(user=world.users["sendco"], title="A referral needs review", link="/")
    return {"public_id": note.public_id}


CASES = {
    # A notification is its recipient's alone: everyone else, colleague or not, gets a 404.
    "notification_open": Case(_sendco_notification, method="post", expect=expect(404, sendco=302, trustlead=404)),
}


def _finished_export(world):
    from apcase.exports import export_job_run
    from apcase.models import ExportJob

    job = ExportJob.objects.create(user=world.users["sendco"], school=world.school, kind="pupils")
    export_job_run(job_id=job.pk)
    return {"public_id": job.public_id}


# An export belongs to the person who asked for it.
CASES["export_status"] = Case(_finished_export, expect(404, sendco=200, trustlead=404))
CASES["export_download"] = Case(_finished_export, expect(404, sendco=200, trustlead=404))


def _the_teacher(world):
    return {"public_id": world.users["teacher"].public_id}


# People and roles are the head's: colleagues get a 403, another school's people are not found.
# Someone in no school at all (an LA officer) is refused before any person is looked up: a 403.
CASES["people_person"] = Case(_the_teacher, expect(403, head=200, laofficer=403))
CASES["people_password_reset"] = Case(_the_teacher, expect(403, head=302, laofficer=403), method="post")
CASES["people_two_factor_reset"] = Case(_the_teacher, expect(403, head=302, laofficer=403), method="post")
