"""Pages of the tasks app: task list and detail, 我的任务, the coordinator's board, export."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404

from apps.tasks import selectors


@login_required
def attachment(request, pk: int):
    """Serve a progress report's attachment to those who may see the report (never /media/)."""
    report = selectors.visible_reports_for(request.user).filter(pk=pk).first()
    if report is None or not report.attachment:
        raise Http404
    return FileResponse(
        report.attachment.open("rb"), as_attachment=True, filename=report.attachment_name
    )
