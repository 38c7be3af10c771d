from django.urls import include, path

from pupils.views import approvals, imports, privacy, pupils, referrals

pupil_patterns = [
    path("", pupils.pupil_list, name="list"),
    path("new/", pupils.pupil_new, name="new"),
    path("import/", imports.pupil_import, name="import"),
    path("import/template.csv", imports.pupil_import_template, name="import_template"),
    path("import/<uuid:public_id>/", imports.pupil_import_preview, name="import_preview"),
    path("import/<uuid:public_id>/confirm/", imports.pupil_import_confirm, name="import_confirm"),
    path("import/<uuid:public_id>/discard/", imports.pupil_import_discard, name="import_discard"),
    path("contacts/<uuid:public_id>/edit/", pupils.contact_edit, name="contact_edit"),
    path("contacts/<uuid:public_id>/remove/", pupils.contact_remove, name="contact_remove"),
    path("<uuid:public_id>/", pupils.pupil_detail, name="detail"),
    path("<uuid:public_id>/edit/", pupils.pupil_edit, name="edit"),
    path("<uuid:public_id>/history/", pupils.pupil_history, name="history"),
    path("<uuid:public_id>/access-log/", privacy.pupil_access_log, name="access_log"),
    path("<uuid:public_id>/subject-access.zip", privacy.pupil_subject_access, name="subject_access"),
    path("<uuid:public_id>/anonymise/", privacy.pupil_anonymise_view, name="anonymise"),
    path("retention/", privacy.retention_review, name="retention"),
    path("<uuid:public_id>/contacts/new/", pupils.contact_new, name="contact_new"),
]

referral_patterns = [
    path("", referrals.referral_list, name="list"),
    path("new/", referrals.referral_pick_pupil, name="pick_pupil"),
    path("new/<uuid:pupil_id>/", referrals.referral_new, name="new"),
    path("meetings/<uuid:public_id>/edit/", referrals.meeting_edit, name="meeting_edit"),
    path("evidence/<uuid:public_id>/", referrals.attachment_download, name="attachment_download"),
    path("evidence/<uuid:public_id>/remove/", referrals.attachment_remove, name="attachment_remove"),
    path("<uuid:public_id>/", referrals.referral_detail, name="detail"),
    path("<uuid:public_id>/edit/", referrals.referral_edit, name="edit"),
    path("<uuid:public_id>/move/", referrals.referral_move, name="move"),
    path("<uuid:public_id>/review/", referrals.referral_review, name="review"),
    path("<uuid:public_id>/meetings/new/", referrals.meeting_new, name="meeting_new"),
    path("<uuid:public_id>/evidence/", referrals.attachment_add, name="attachment_add"),
    path("<uuid:public_id>/history/", referrals.referral_history, name="history"),
]

approval_patterns = [
    path("", approvals.approval_inbox, name="inbox"),
    path("<uuid:public_id>/decide/", approvals.approval_decide_view, name="decide"),
]

urlpatterns = [
    path("pupils/", include((pupil_patterns, "pupils"))),
    path("referrals/", include((referral_patterns, "referrals"))),
    path("approvals/", include((approval_patterns, "approvals"))),
]
