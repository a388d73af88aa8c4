from rest_framework.routers import SimpleRouter

from apps.workgroups.api import views

router = SimpleRouter()
router.register("workgroups", views.WorkingGroupViewSet, basename="workgroup")

urlpatterns = router.urls
