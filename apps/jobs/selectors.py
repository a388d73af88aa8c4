"""Reads of the jobs app: a user sees the jobs they started; administrators see all."""

from django.db.models import QuerySet

from apps.core import permissions as policy
from apps.jobs.models import JobRun


def visible_jobs(user) -> QuerySet[JobRun]:
    """A job is personal (policy scope): its user's, and every job for administrators."""
    return policy.restrict(JobRun.objects.select_related("user"), user, policy.Action.VIEW)
