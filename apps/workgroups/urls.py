from django.urls import path

from apps.workgroups import views

app_name = "workgroups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("<int:pk>/", views.group_detail, name="detail"),
]
