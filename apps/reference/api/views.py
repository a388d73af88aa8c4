"""Reference data is public to every signed-in user and API client; read-only."""

from rest_framework import viewsets

from apps.core.drf import ReferenceReadPermission
from apps.reference.api import serializers
from apps.reference.models import InfrastructureDomain, Organization, Region, Sector


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ReferenceReadPermission]
    queryset = Region.objects.select_related("parent")
    serializer_class = serializers.RegionSerializer
    filterset_fields = ["level", "parent__code"]
    pagination_class = None


class OrganizationViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ReferenceReadPermission]
    queryset = Organization.objects.select_related("region", "parent")
    serializer_class = serializers.OrganizationSerializer
    filterset_fields = ["kind", "region__code"]
    search_fields = ["name", "full_name"]


class SectorViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ReferenceReadPermission]
    queryset = Sector.objects.all()
    serializer_class = serializers.SectorSerializer
    pagination_class = None


class InfrastructureDomainViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [ReferenceReadPermission]
    queryset = InfrastructureDomain.objects.all()
    serializer_class = serializers.InfrastructureDomainSerializer
    pagination_class = None
