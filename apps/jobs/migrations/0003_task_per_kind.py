"""Jobs are dispatched by one Celery task per kind (issue 10 point 6): ``func_path`` (the dotted
path of a service function) becomes ``task_name``. Finished jobs keep their history under the
new names; a job still waiting or running at the upgrade has arguments in the old form
(``$model``/``$filterset`` references) that no task reads, so it is failed with a note."""

from django.db import migrations, models
from django.utils import timezone

RENAMED = {
    "apps.projects.excel.export_projects_job": "projects.export",
    "apps.projects.excel.import_projects": "projects.import",
    "apps.contracts.exports.export_ledger": "contracts.export_ledger",
    "apps.contracts.importers.import_ledger": "contracts.import_ledger",
}


def rename_tasks(apps, schema_editor):
    JobRun = apps.get_model("jobs", "JobRun")
    for old, new in RENAMED.items():
        JobRun.objects.filter(task_name=old).update(task_name=new)
    JobRun.objects.filter(status__in=["queued", "delayed", "running"]).exclude(
        task_name=""
    ).update(
        status="failed",
        message="系统升级，作业未执行。请重新发起。",
        error="升级前登记的作业（旧的参数格式），未执行。",
        finished_at=timezone.now(),
    )


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_attempts_and_delayed")]

    operations = [
        migrations.RenameField("jobrun", "func_path", "task_name"),
        migrations.AlterField(
            model_name="jobrun",
            name="task_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="任务"),
        ),
        migrations.RunPython(rename_tasks, migrations.RunPython.noop),
    ]
