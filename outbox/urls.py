from django.urls import path

from outbox import views

app_name = "outbox"

urlpatterns = [
    path("", views.outbox_list, name="list"),
    path("post/letters.pdf", views.post_batch_pdf, name="post_batch"),
    path("post/posted/", views.post_batch_posted, name="post_batch_posted"),
    path("<uuid:public_id>/", views.message_detail, name="detail"),
    path("<uuid:public_id>/document/", views.message_document, name="document"),
    path("<uuid:public_id>/<slug:action>/", views.message_record, name="record"),
]
