"""Scorecard pages, included in the `indicators` namespace."""

from django.urls import path

from indicators.scorecards import views

card = "scorecards/<int:year>/<str:prefix>/"

urlpatterns = [
    path("scorecards/<int:year>/", views.scorecard_list, name="scorecard-list"),
    path(card, views.scorecard_detail, name="scorecard-detail"),
    path(
        f"{card}self-assessment/<str:code>/<int:round_>/",
        views.self_assessment_edit,
        name="self-assessment",
    ),
]
