from rest_framework.routers import SimpleRouter

from apps.reference.api import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet)
router.register("organizations", views.OrganizationViewSet)
router.register("sectors", views.SectorViewSet)
router.register("domains", views.InfrastructureDomainViewSet)

urlpatterns = router.urls
