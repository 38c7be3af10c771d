from django.urls import include, path

from audits import views

provider_patterns = [
    path("", views.provider_list, name="list"),
    path("new/", views.provider_create, name="new"),
    path("actions/", views.action_list, name="actions"),
    path("actions/<uuid:public_id>/done/", views.action_done, name="action_done"),
    path("<uuid:public_id>/", views.provider_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.provider_edit, name="edit"),
    path("<uuid:public_id>/history/", views.provider_history, name="history"),
    path("<uuid:public_id>/registration-check/", views.provider_check_registration, name="check_registration"),
    path("<uuid:public_id>/rely/", views.provider_rely_on_check, name="rely_on_check"),
    path("<uuid:public_id>/agreement/", views.provider_agreement, name="agreement"),
    path("<uuid:public_id>/sites/new/", views.site_create, name="site_new"),
    path("sites/<uuid:public_id>/edit/", views.site_edit, name="site_edit"),
    path("sites/<uuid:public_id>/delete/", views.site_delete, name="site_delete"),
    path("<uuid:public_id>/safeguarding-letter.pdf", views.safeguarding_letter, name="safeguarding_letter"),
    path(
        "<uuid:public_id>/safeguarding-request/send/", views.safeguarding_request_send, name="safeguarding_request_send"
    ),
    path("<uuid:public_id>/confirmations/new/", views.confirmation_create, name="confirmation_new"),
    path("confirmations/<uuid:public_id>/signed-copy/", views.confirmation_signed_copy, name="confirmation_file"),
    path("<uuid:public_id>/audits/new/", views.audit_start, name="audit_new"),
]

audit_patterns = [
    path("<uuid:public_id>/", views.audit_detail, name="detail"),
    path("<uuid:public_id>/visit/", views.audit_visit, name="visit"),
    path("<uuid:public_id>/decision/", views.audit_decision, name="decision"),
    path("<uuid:public_id>/sign-off/", views.audit_sign_off, name="sign_off"),
    path("<uuid:public_id>/correct/", views.audit_correct, name="correct"),
    path("<uuid:public_id>/report.pdf", views.audit_report, name="report"),
    path("<uuid:public_id>/history/", views.audit_history, name="history"),
    path("answers/<uuid:public_id>/", views.audit_answer, name="answer"),
]

urlpatterns = [
    path("providers/", include((provider_patterns, "providers"))),
    path("audits/", include((audit_patterns, "audits"))),
]
