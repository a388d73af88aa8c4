from rest_framework.routers import SimpleRouter

from apps.tasks.api import views

router = SimpleRouter()
router.register("tasks", views.TaskViewSet, basename="task")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")
router.register("extension-requests", views.ExtensionRequestViewSet, basename="extension-request")

urlpatterns = router.urls
