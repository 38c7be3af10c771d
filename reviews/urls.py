from django.urls import include, path

from reviews.views import meetings, progress, reintegration, requests

review_patterns = [
    path("", meetings.review_list, name="list"),
    path("calendar/", meetings.review_calendar_page, name="calendar"),
    path("new/", meetings.review_new, name="new"),
    path("<uuid:public_id>/", meetings.review_detail, name="detail"),
    path("provider-reports/<uuid:public_id>/", meetings.provider_report_file, name="provider_report_file"),
    path("<uuid:public_id>/arrange/", meetings.review_schedule_page, name="schedule"),
    path("<uuid:public_id>/record/", meetings.review_record_page, name="record"),
    path("<uuid:public_id>/cancel/", meetings.review_cancel_page, name="cancel"),
    path("<uuid:public_id>/invite/", meetings.review_invite, name="invite"),
    path("<uuid:public_id>/actions/new/", meetings.action_new, name="action_new"),
    path("<uuid:public_id>/minutes.pdf", meetings.review_minutes, name="minutes"),
    path("<uuid:public_id>/history/", meetings.review_history, name="history"),
    path("actions/<uuid:public_id>/done/", meetings.action_done, name="action_done"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<uuid:public_id>/", requests.request_detail, name="request_detail"),
    path("requests/<uuid:public_id>/answer/", requests.request_answer, name="request_answer"),
]

# Pages about one placement live under its address (README: /placements/<uuid>/reintegration/).
REINTEGRATION = "placements/<uuid:public_id>/reintegration/"
reintegration_patterns = [
    path(REINTEGRATION, reintegration.plan_page, name="plan"),
    path(f"{REINTEGRATION}agree/", reintegration.plan_agree, name="agree"),
    path(f"{REINTEGRATION}versions/<int:number>/", reintegration.plan_version_page, name="version"),
    path(f"{REINTEGRATION}final-report/", reintegration.final_report_edit, name="final_report"),
    path(f"{REINTEGRATION}final-report.pdf", reintegration.final_report_download, name="final_report_pdf"),
    path(f"{REINTEGRATION}check-ins/<int:weeks>/", reintegration.check_in_page, name="check_in"),
]

PROGRESS = "placements/<uuid:public_id>/progress/"
progress_patterns = [
    path(PROGRESS, progress.progress_page, name="page"),
    path(f"{PROGRESS}targets/new/", progress.target_new, name="target_new"),
    path(f"{PROGRESS}targets/<uuid:target_id>/", progress.target_edit, name="target_edit"),
    path(f"{PROGRESS}targets/<uuid:target_id>/measurements/new/", progress.measurement_new, name="measurement_new"),
    path(
        "provider-progress/<uuid:public_id>/<slug:decision>/",
        progress.provider_progress_decide,
        name="provider_progress_decide",
    ),
]

urlpatterns = [
    path("reviews/", include((review_patterns, "reviews"))),
    path("", include((reintegration_patterns, "reintegration"))),
    path("", include((progress_patterns, "progress"))),
]
