"""The reaper. The jobs themselves are one small task per kind, declared with
``services.job_task`` in the app that owns the work (``projects.export``,
``contracts.import_ledger``…), each taking the JobRun's id.

Tasks are acknowledged after they finish (CELERY_TASK_ACKS_LATE) and given back to the broker
when their worker dies (CELERY_TASK_REJECT_ON_WORKER_LOST), so a delivery can come twice:
``services.execute`` makes that harmless.
"""

from celery import shared_task

from apps.jobs import services


@shared_task(name="jobs.reap")
def reap_jobs() -> dict[str, int]:
    return services.reap_jobs()
