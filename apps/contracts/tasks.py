"""The ledger's background jobs: one small Celery task per kind, each taking the JobRun's id
(apps.jobs.services.job_task); the work is the exporter's and the importer's."""

from __future__ import annotations

from apps.contracts.exports import export_ledger as export_ledger_file
from apps.contracts.filters import ContractFilter
from apps.contracts.importers import import_ledger as import_ledger_file
from apps.contracts.models import Contract, Fair
from apps.core import permissions as policy
from apps.jobs.services import input_file, job_query, job_task


@job_task("contracts.export_ledger")
def export_ledger(job, progress):
    """A large ledger export: the page's filters on the fair, scoped to what the starter sees."""
    fair = Fair.objects.get(pk=job.kwargs["fair"])
    data = job_query(job)
    filterset = ContractFilter(data or None, queryset=Contract.objects.filter(fair=fair))
    contracts = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    contracts = policy.restrict(contracts, job.user, policy.Action.VIEW)
    return export_ledger_file(
        fair=fair, contracts=contracts, filters=job.kwargs.get("filters"), progress=progress
    )


@job_task("contracts.import_ledger")
def import_ledger(job, progress):
    """A confirmed ledger import (the preview was shown on the page), all or nothing."""
    fair = Fair.objects.get(pk=job.kwargs["fair"])
    with input_file(job) as file:
        return import_ledger_file(fair=fair, file=file, user=job.user, progress=progress)
