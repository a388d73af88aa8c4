"""The generic job runner: one task that runs any recorded import or export job."""

from celery import shared_task

from apps.jobs import services


@shared_task(bind=True, name="jobs.run", ignore_result=True)
def run_job(self, job_id: int) -> None:
    services.execute(job_id=job_id, task_id=self.request.id or "")
