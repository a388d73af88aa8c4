from django.urls import path

from apps.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.detail, name="detail"),
    path("entry/", views.entry, name="entry"),
    path("targets/", views.year_targets, name="year-targets"),
    path("evaluation/<int:year>/", views.evaluation, name="evaluation"),
    path("evaluation/midterm/", views.evaluation, {"year": 2023}, name="evaluation-midterm"),
    path("evaluation/final/", views.evaluation, {"year": 2025}, name="evaluation-final"),
    path("export.xlsx", views.export, name="export"),
]
