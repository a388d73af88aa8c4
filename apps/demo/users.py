"""The documented demo users (README), created by ``load_demo_users`` in demo mode only."""

from apps.accounts.models import Role, User
from apps.reference.models import Organization

DEMO_PASSWORD = "demo12345"

# username, role, organisation (any spelling the seeds use), name, is_superuser
DEMO_USERS = [
    ("admin", Role.ADMIN, None, "管理员", True),
    ("reviewer", Role.REVIEWER, "省发展改革委", "审核员", False),
    # reviews the 市州级 and 县级 projects of 西宁 (reviewers per tier)
    ("reviewer_xining", Role.REVIEWER, "西宁市发展改革委", "西宁市审核员", False),
    ("leader", Role.LEADER, None, "省领导", False),
    ("coordinator", Role.COORDINATOR, "省经济和信息化委", "协调员", False),
    ("staff_xining", Role.STAFF, "西宁市政府", "西宁填报员", False),
    ("staff_haidong", Role.STAFF, "海东市政府", "海东填报员", False),
    ("api_client", Role.API_CLIENT, None, "接口用户", False),
]


def create_demo_users() -> list[User]:
    """Create or reset the demo users; idempotent. Only called in demo mode."""
    index = Organization.objects.name_index()
    users = []
    for username, role, org_name, name, superuser in DEMO_USERS:
        org = None
        if org_name:
            org = index.get(org_name)
            if org is None:
                raise LookupError(f"demo user {username}: organisation {org_name!r} not loaded")
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.organization = org
        user.last_name = name
        user.is_superuser = superuser
        user.is_staff = superuser
        user.email = f"{username}@demo.qhprojects.local"
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        users.append(user)
    return users
