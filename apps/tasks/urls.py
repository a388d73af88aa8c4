from django.urls import path

from apps.tasks import views

app_name = "tasks"

urlpatterns = [
    path("reports/<int:pk>/attachment/", views.attachment, name="attachment"),
]
