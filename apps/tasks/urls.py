from django.urls import path

from apps.tasks import views

app_name = "tasks"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("export.xlsx", views.task_export, name="export"),
    path("mine/", views.my_tasks, name="mine"),
    path("board/", views.board, name="board"),
    path("board/export.xlsx", views.assignment_export, name="board-export"),
    path("sources/", views.sources, name="sources"),
    path("rates/", views.unit_rates, name="rates"),
    path("sources/<int:pk>/status/", views.source_status, name="source-status"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path(
        "assignments/<int:pk>/<slug:action>/",
        views.assignment_action,
        name="assignment-action",
    ),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension-decide"),
    path("reports/<int:pk>/attachment/", views.attachment, name="attachment"),
]
