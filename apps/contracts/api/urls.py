from rest_framework.routers import SimpleRouter

from apps.contracts.api import views

router = SimpleRouter()
router.register("fairs", views.FairViewSet)
router.register("contracts", views.ContractViewSet)
router.register("contract-reports", views.ContractReportViewSet)

urlpatterns = router.urls
