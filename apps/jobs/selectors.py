"""Reads of the jobs app: a user sees the jobs they started; administrators see all."""

from django.db.models import QuerySet

from apps.core import permissions as policy
from apps.jobs.models import JobRun


def visible_jobs(user) -> QuerySet[JobRun]:
    if not getattr(user, "is_authenticated", False):
        return JobRun.objects.none()
    qs = JobRun.objects.select_related("user")
    return qs if policy.is_admin(user) else qs.filter(user=user)
