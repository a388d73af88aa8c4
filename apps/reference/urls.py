from django.urls import path

from apps.reference import views

app_name = "reference"

urlpatterns = [
    path("mine/", views.my_organization, name="my-organization"),
    path("<int:pk>/", views.organization_profile, name="organization"),
]
