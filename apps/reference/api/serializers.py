from rest_framework import serializers

from apps.reference.models import InfrastructureDomain, Organization, Region, Sector


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["id", "code", "name", "short_name", "level", "parent", "aliases"]


class OrganizationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    parent = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "full_name", "kind", "region", "parent", "aliases"]


class SectorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name"]


class InfrastructureDomainSerializer(serializers.ModelSerializer):
    class Meta:
        model = InfrastructureDomain
        fields = ["id", "code", "name", "description"]
