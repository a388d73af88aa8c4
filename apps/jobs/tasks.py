"""The generic job runner (one task runs any recorded import or export job) and the reaper.

Tasks are acknowledged after they finish (CELERY_TASK_ACKS_LATE) and given back to the broker
when their worker dies (CELERY_TASK_REJECT_ON_WORKER_LOST), so a delivery can come twice:
``services.execute`` makes that harmless.
"""

from celery import shared_task

from apps.jobs import services


@shared_task(bind=True, name="jobs.run", ignore_result=True)
def run_job(self, job_id: int) -> None:
    services.execute(job_id=job_id, task_id=self.request.id or "")


@shared_task(name="jobs.reap")
def reap_jobs() -> dict[str, int]:
    return services.reap_jobs()
