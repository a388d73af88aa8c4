from rest_framework.routers import SimpleRouter

from apps.projects.api import views

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("project-updates", views.ProjectUpdateViewSet, basename="project-update")

urlpatterns = router.urls
