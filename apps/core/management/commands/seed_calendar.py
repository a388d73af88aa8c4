"""Seed the working-day calendar for a year from the ``chinese-calendar`` package.

    manage.py seed_calendar 2026 [2027 …] [--dry-run]

Adds the 放假 and 调休上班 days of each year that the installed package knows and the table
does not have yet. The admin table (节假日安排) is the authority: a day already entered is never
changed — a disagreement with the package is listed for the administrator to check against the
State Council's notice. A year the package does not know is an error naming the latest it does.
"""

from django.core.management.base import BaseCommand, CommandError

from apps.core.calendar import seed_year_from_package


class Command(BaseCommand):
    help = "从 chinese-calendar 包补录某年的节假日安排（已录入的日期不改动，以管理后台为准）。"

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="+", type=int, help="年份，如 2026")
        parser.add_argument("--dry-run", action="store_true", help="只列出将补录的日期，不写入")

    def handle(self, *args, years, dry_run=False, **options):
        unknown = []
        for year in years:
            try:
                result = seed_year_from_package(year, dry_run=dry_run)
            except ImportError as exc:
                raise CommandError(
                    "未安装 chinese-calendar（pip 包名 chinesecalendar），无法补录。"
                ) from exc
            if not result.known:
                unknown.append(
                    f"chinese-calendar {result.package_version} 不含{year}年安排"
                    f"（最新为{result.latest_known_year}年）"
                )
                continue
            verb = "将补录" if dry_run else "补录"
            self.stdout.write(
                f"{year}年：{verb} {len(result.added)} 天，已录入且一致 {len(result.kept)} 天"
                f"（chinese-calendar {result.package_version}）"
            )
            for day, is_workday, name in result.added:
                kind = "调休上班" if is_workday else "放假"
                self.stdout.write(f"  + {day:%Y-%m-%d} {name}（{kind}）")
            for day, in_table, in_package in result.differing:
                self.stdout.write(
                    self.style.WARNING(
                        f"  ! {day:%Y-%m-%d} 管理后台为{'上班' if in_table else '放假'}，"
                        f"包中为{'上班' if in_package else '放假'}：保留管理后台的记录，请核对通知"
                    )
                )
        if unknown:
            raise CommandError(
                "；".join(unknown) + "。请按国务院办公厅通知在管理后台“节假日安排”中录入。"
            )
