from rest_framework import serializers

from apps.workgroups.models import GroupMember, WorkingGroup


class GroupMemberSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="name", read_only=True, allow_null=True)
    organization_id = serializers.IntegerField(read_only=True, allow_null=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = GroupMember
        fields = [
            "role",
            "role_display",
            "person_name",
            "title",
            "organization",
            "organization_id",
        ]


class WorkingGroupSerializer(serializers.ModelSerializer):
    domains = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    leaders = serializers.SerializerMethodField()
    members = GroupMemberSerializer(many=True, read_only=True)
    tasks = serializers.SerializerMethodField()

    class Meta:
        model = WorkingGroup
        fields = [
            "id",
            "order",
            "name",
            "short_name",
            "remit",
            "duties",
            "domains",
            "leaders",
            "members",
            "tasks",
            "source",
        ]

    def get_leaders(self, obj) -> list[str]:
        return [m.person_name for m in obj.members.all() if m.role == GroupMember.Role.LEADER]

    def get_tasks(self, obj) -> list[dict]:
        return [
            {"id": t.pk, "source": t.source.code, "number": t.number, "title": t.short_title}
            for t in obj.tasks.all()
        ]
