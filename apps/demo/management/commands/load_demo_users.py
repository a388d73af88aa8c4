"""Create the documented demo users (password demo12345). Refuses outside demo mode."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts.tokens import issue_token, revoke_token
from apps.demo.users import DEMO_PASSWORD, create_demo_users

DEMO_TOKEN_NAME = "演示令牌"


class Command(BaseCommand):
    help = "创建演示用户（admin、reviewer、leader、coordinator、staff_xining 等，见 README）。"

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            raise CommandError(
                "演示用户只能在演示模式下创建（QH_DEMO=1 或 DEBUG=1）；生产环境不创建演示账号。"
            )
        with transaction.atomic():
            users = create_demo_users()
        for user in users:
            org = user.organization.name if user.organization else "—"
            self.stdout.write(f"  {user.username:<14} {user.get_role_display():<8} {org}")
        client = next(u for u in users if u.username == "api_client")
        # Tokens are stored hashed: each run revokes the previous demo token and prints a new
        # one (shown this once; more are made on /accounts/tokens/).
        with transaction.atomic():
            for old in client.api_tokens.filter(name=DEMO_TOKEN_NAME, revoked_at__isnull=True):
                revoke_token(actor=client, token=old)
            _, key = issue_token(actor=client, owner=client, name=DEMO_TOKEN_NAME)
        self.stdout.write(
            f"  密码均为 {DEMO_PASSWORD}；api_client 的接口令牌（只读，仅显示一次）：{key}"
        )
