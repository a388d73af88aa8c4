from rest_framework.routers import SimpleRouter

from apps.problems.api import views

router = SimpleRouter()
router.register("problems", views.ProblemViewSet, basename="problem")

urlpatterns = router.urls
