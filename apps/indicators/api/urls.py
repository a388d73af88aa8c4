from rest_framework.routers import SimpleRouter

from apps.indicators.api import views

router = SimpleRouter()
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("indicator-values", views.MeasureValueViewSet, basename="indicator-value")

urlpatterns = router.urls
