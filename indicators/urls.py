from django.urls import path

from indicators import views, workflow_views

app_name = "indicators"

report = "indicators/<int:year>/<str:code>/q<int:quarter>/"

urlpatterns = [
    path("", views.home, name="home"),
    # Reporting and review (issue 4)
    path("my/", workflow_views.my_work, name="my-work"),
    path("review/", workflow_views.review_queue, name="review-queue"),
    path(f"{report}edit/", workflow_views.report_edit, name="report-edit"),
    path(f"{report}review/", workflow_views.report_review, name="report-review"),
    path(f"{report}audit-quarter/", workflow_views.audit_quarter_set, name="audit-quarter-set"),
    path("evidence/<int:pk>/", workflow_views.evidence_download, name="evidence-download"),
    path(
        "indicators/<int:year>/<str:code>/appeal/",
        workflow_views.appeal_create,
        name="appeal-create",
    ),
    path("review/appeals/<int:pk>/", workflow_views.appeal_decide, name="appeal-decide"),
    path(
        "appeals/<int:pk>/evidence/",
        workflow_views.appeal_evidence_download,
        name="appeal-evidence-download",
    ),
]
