from django.urls import path
from rest_framework.routers import SimpleRouter

from apps.projects.api import views
from apps.projects.api.oc4ids import OC4IDSPackageView

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("project-updates", views.ProjectUpdateViewSet, basename="project-update")

urlpatterns = [
    *router.urls,
    path("oc4ids/", OC4IDSPackageView.as_view(), name="oc4ids-package"),
]
