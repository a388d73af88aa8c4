"""The staged import, one flow for every spreadsheet import (the project 建议表, the contract
ledgers): upload → check → (preview → confirm) → import, in the request or as a tracked job.

* ``check``: the importer runs on the upload (a dry run, or the all-or-nothing import itself for
  a small file); its report lists every issue by row and column.
* ``stage``: a file that passed its preview is kept under a one-time token, remembered in the
  user's session with the scope it was checked for (e.g. the fair).
* ``confirm``: the token is taken (once), its scope must match, and the kept file is imported
  by a job; an expired or foreign token imports nothing.
* ``start``: a file is imported by a job straight away (a large file: the job page shows
  progress and, at the end, the counts or every error).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage

from apps.jobs.models import JobRun
from apps.jobs.services import start_job


@dataclass(frozen=True)
class ImportFlow:
    kind: str  # the job's kind, also the session key of staged files
    task: Any  # the kind's job task (``@job_task`` in the owning app's tasks.py)
    upload_dir: str  # where staged files wait for their confirmation

    def _key(self, token: str) -> str:
        return f"{self.kind}-{token}"

    def _path(self, token: str) -> str:
        return f"{self.upload_dir}/{token}.xlsx"

    def start(
        self, *, user: Any, file: Any, label: str, kwargs: dict[str, Any] | None = None
    ) -> JobRun:
        """Import ``file`` in a job now."""
        return start_job(
            kind=self.kind,
            user=user,
            task=self.task,
            kwargs=kwargs,
            input_file=file,
            label=label,
        )

    def stage(self, session: Any, upload: Any, *, scope: dict[str, Any]) -> str:
        """Keep a previewed upload for its confirmation; returns the token the page posts back."""
        token = uuid.uuid4().hex
        upload.seek(0)
        default_storage.save(self._path(token), upload)
        session[self._key(token)] = {**scope, "name": upload.name}
        return token

    def confirm(
        self,
        session: Any,
        token: str,
        *,
        scope: dict[str, Any],
        user: Any,
        label: Callable[[str], str],
        kwargs: dict[str, Any] | None = None,
    ) -> JobRun | None:
        """Import the file staged under ``token`` in a job; None when the preview has expired,
        was already confirmed or was made for another scope. ``label(name)`` names the job
        after the file's name."""
        pending = session.pop(self._key(token), None) if token else None
        path = self._path(token)
        if (
            not pending
            or any(pending.get(k) != v for k, v in scope.items())
            or not default_storage.exists(path)
        ):
            return None
        name = pending["name"]
        with default_storage.open(path, "rb") as fh:
            job = self.start(user=user, file=File(fh, name=name), label=label(name), kwargs=kwargs)
        default_storage.delete(path)
        return job
