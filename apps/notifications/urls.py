from django.urls import path

from apps.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read-all"),
    path("settings/", views.preferences, name="preferences"),
    path("urge/", views.urge, name="urge"),
    path("urge/late.xlsx", views.late_export, name="late-export"),
]
