"""Reference data is public to every signed-in user and API client (policy scope PUBLIC);
read-only."""

from apps.core.api import ScopedReadOnlyViewSet
from apps.reference.api import serializers
from apps.reference.models import InfrastructureDomain, Organization, Region, Sector


class RegionViewSet(ScopedReadOnlyViewSet):
    updated_since_fields = ()  # reference data is published with the seeds
    queryset = Region.objects.select_related("parent")
    serializer_class = serializers.RegionSerializer
    filterset_fields = ["level", "parent__code"]
    pagination_class = None


class OrganizationViewSet(ScopedReadOnlyViewSet):
    updated_since_fields = ()  # reference data is published with the seeds
    queryset = Organization.objects.select_related("region", "parent")
    serializer_class = serializers.OrganizationSerializer
    filterset_fields = ["kind", "region__code"]
    search_fields = ["name", "full_name"]


class SectorViewSet(ScopedReadOnlyViewSet):
    updated_since_fields = ()  # reference data is published with the seeds
    queryset = Sector.objects.all()
    serializer_class = serializers.SectorSerializer
    pagination_class = None


class InfrastructureDomainViewSet(ScopedReadOnlyViewSet):
    updated_since_fields = ()  # reference data is published with the seeds
    queryset = InfrastructureDomain.objects.all()
    serializer_class = serializers.InfrastructureDomainSerializer
    pagination_class = None
