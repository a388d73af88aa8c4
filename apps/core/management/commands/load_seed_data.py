"""Load every app's seed data (reference data first), idempotently.

Each app that ships seed data has a ``seed.py`` with ``load(*, stdout) -> None``; they run in
INSTALLED_APPS order, each in its own transaction. Running the command twice changes nothing.
"""

from importlib import import_module

from django.apps import apps as django_apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "加载种子数据（行政区划、单位、行业、台账、指标、任务、演示项目库），可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", nargs="*", help="只加载这些应用的种子数据，例如 reference contracts"
        )

    def handle(self, *args, only=None, **options):
        for config in django_apps.get_app_configs():
            if not config.name.startswith("apps."):
                continue
            label = config.name.split(".", 1)[1]
            if only and label not in only:
                continue
            try:
                module = import_module(f"{config.name}.seed")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.seed":
                    continue
                raise
            self.stdout.write(f"[{label}] {config.verbose_name}")
            with transaction.atomic():
                module.load(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("种子数据加载完成。"))
