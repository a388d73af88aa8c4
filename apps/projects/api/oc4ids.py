"""/api/v1/oc4ids/: the public OC4IDS 0.9.5 project package of the approved library."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.projects.oc4ids import project_package


class OC4IDSPackageView(APIView):
    """OC4IDS 0.9.5 项目数据包：已入库项目的公开发布（无需登录，只读）。说明见 /open-data/。"""

    permission_classes = [AllowAny]
    authentication_classes: list = []  # public data: no session, no CSRF, anonymous throttle

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, auth=[])
    def get(self, request):
        package = project_package(
            uri=request.build_absolute_uri(reverse("oc4ids-package")),
            policy_uri=request.build_absolute_uri(reverse("open-data")),
        )
        return Response(package)
