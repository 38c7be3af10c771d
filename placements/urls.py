from django.urls import include, path

from placements.views import attendance, chase, contacts, notices, placements, records

placement_patterns = [
    path("", placements.placement_list, name="list"),
    path("new/", placements.placement_new, name="new"),
    path("chase/", chase.chase_list, name="chase"),
    path("<uuid:public_id>/chase/call/", chase.chase_call, name="chase_call"),
    path("<uuid:public_id>/chase/<str:kind>/", chase.chase_notice, name="chase_notice"),
    path("incidents/<uuid:public_id>/respond/", records.incident_response, name="incident_respond"),
    path("<uuid:public_id>/", placements.placement_detail, name="detail"),
    path("<uuid:public_id>/edit/", placements.placement_edit, name="edit"),
    path("<uuid:public_id>/move/", placements.placement_move, name="move"),
    path("<uuid:public_id>/cancel/", placements.placement_cancel, name="cancel"),
    path("<uuid:public_id>/end/", placements.placement_end, name="end"),
    path(
        "<uuid:public_id>/extension/withdraw/",
        placements.extension_withdraw,
        name="extension_withdraw",
    ),
    path("<uuid:public_id>/history/", placements.placement_history, name="history"),
    path("<uuid:public_id>/notice/", notices.notice_page, name="notice"),
    path("<uuid:public_id>/notice.pdf", notices.notice_download, name="notice_pdf"),
    path("<uuid:public_id>/notice/amend/", notices.notice_amend, name="notice_amend"),
    path("<uuid:public_id>/la-notification/", notices.la_notify, name="la_notify"),
    path("<uuid:public_id>/attendance/", attendance.attendance_page, name="attendance"),
    path("<uuid:public_id>/attendance/all-present/", attendance.attendance_all_present, name="all_present"),
    path("<uuid:public_id>/agreement/new/", records.parent_agreement_new, name="agreement_new"),
    path("<uuid:public_id>/agreement.pdf", records.parent_agreement_letter, name="agreement_pdf"),
    path("<uuid:public_id>/suitability/new/", records.suitability_new, name="suitability_new"),
    path("<uuid:public_id>/handover/new/", records.handover_new, name="handover_new"),
    path(
        "handovers/<uuid:public_id>/acknowledgement.pdf",
        records.handover_acknowledgement,
        name="handover_acknowledgement",
    ),
    path("handovers/<uuid:public_id>/send/", records.handover_send_view, name="handover_send"),
    path("<uuid:public_id>/incidents/new/", records.incident_new, name="incident_new"),
    path("<uuid:public_id>/visits/new/", records.visit_new, name="visit_new"),
    path("<uuid:public_id>/contacts/new/", contacts.contact_new, name="contact_new"),
    path("pupil/<uuid:public_id>/contacts/new/", contacts.pupil_contact_new, name="pupil_contact_new"),
]

urlpatterns = [
    path("placements/", include((placement_patterns, "placements"))),
]
