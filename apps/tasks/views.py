"""Pages of the tasks app: task list and detail, 我的任务, the coordinator's board, export.

Views are thin: the FilterSets select, the selectors read, the services write (and decide who
may act). A unit user reaches only its own unit's tasks and assignments, plus — for a task its
unit leads — the assignments of the task's participating units.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import permissions as policy
from apps.core.downloads import file_download
from apps.core.excel import describe_filters, workbook_bytes, xlsx_response
from apps.core.forms import DocumentStatusForm, error_text, form_errors
from apps.core.pages import policy_view
from apps.core.paging import paginate
from apps.core.redirects import redirect_next
from apps.tasks import forms, selectors, services
from apps.tasks.filters import AssignmentFilter
from apps.tasks.models import Assignment, ExtensionRequest, ProgressReport, SourceDocument, Task

# --- task list, detail, export ----------------------------------------------------------------


@policy_view()
def task_list(request):
    filterset = selectors.filtered_task_list(
        user=request.user, data=request.GET or None, request=request
    )
    qs = filterset.qs
    page = paginate(request, qs)
    return render(
        request,
        "tasks/task_list.html",
        {"filter": filterset, "page": page, "total": qs.count()},
    )


@policy_view(model=Task, queryset=lambda request: Task.objects.select_related("source", "chapter"))
def task_detail(request, task: Task):
    today = timezone.localdate()
    assignments = list(selectors.task_assignments(task, today))
    sees_all = selectors.sees_all_assignments_of(request.user, task)
    return render(
        request,
        "tasks/task_detail.html",
        {
            "task": task,
            "today": today,
            "lead_units": task.lead_units.order_by("kind", "name"),
            "participating_units": task.participating_units.order_by("kind", "name"),
            "groups": task.working_groups.all(),
            "assignments": assignments,
            "sees_all": sees_all,
            "reports": selectors.visible_reports(task, request.user),
            "events": selectors.visible_events(task, request.user)[:100],
            "may_coordinate": policy.may_coordinate(request.user),
        },
    )


@policy_view()
def task_export(request):
    """The task division table in the 004 layout (序号, 内容, 牵头单位, 参加单位), filtered by
    the same FilterSet as the list: chapter rows as in the document, wording verbatim."""
    filterset = selectors.filtered_task_list(
        user=request.user, data=request.GET or None, request=request
    )
    qs = (
        filterset.qs.select_related("source", "chapter")
        .prefetch_related(None)
        .order_by("source__sort_order", "number")
    )
    sources = list(SourceDocument.objects.filter(pk__in=qs.values("source_id")))
    single = sources[0] if len(sources) == 1 else None
    headers = [
        _("序号"),
        _("内容"),
        single.lead_label if single else _("牵头单位"),
        single.participating_label if single else _("参加单位（责任单位）"),
    ]
    rows = _division_rows(qs, titles=single is None)
    caption = f"{single.title}（{single.doc_number}）" if single else _("任务分工表")
    content = workbook_bytes(
        headers,
        rows,
        title="任务分工",
        widths=[8, 90, 36, 48],
        caption=caption,
        filters=describe_filters(filterset),
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(content, f"任务分工表_{stamp}.xlsx")


def _division_rows(qs, *, titles: bool):
    """Rows of the division table, with a heading row for each document and chapter."""
    source_id = chapter_id = None
    for task in qs.iterator(chunk_size=500):
        if titles and task.source_id != source_id:
            yield ["", f"{task.source.title}（{task.source.doc_number}）", "", ""]
            chapter_id = None
        source_id = task.source_id
        if task.chapter_id and task.chapter_id != chapter_id:
            yield ["", str(task.chapter), "", ""]
        chapter_id = task.chapter_id
        content = task.content
        if task.deadline_text and task.source.code == "003":
            content = _("%(content)s（完成时限：%(deadline_text)s）") % {
                "content": content,
                "deadline_text": task.deadline_text,
            }
        yield [task.number, content, task.lead_text, task.participating_text]


# --- 我的任务 and the coordinator's board ------------------------------------------------------


def _scope(request) -> str:
    """The boards show live work; ``?scope=history`` or ``all`` opens the rest."""
    scope = request.GET.get("scope") or "live"
    return scope if scope in ("live", "history", "all") else "live"


@policy_view()
def my_tasks(request):
    """我的任务: the user's unit's live assignments, overdue first, with the unit's forms."""
    assignments = selectors.my_assignments(request.user, scope=_scope(request))
    filterset = AssignmentFilter(request.GET or None, queryset=assignments, request=request)
    qs = filterset.qs if filterset.is_bound else assignments
    page = paginate(request, qs)
    today = timezone.localdate()
    counts = selectors.unit_counts(request.user, today)
    return render(
        request,
        "tasks/my_tasks.html",
        {
            "filter": filterset,
            "page": page,
            "counts": counts,
            "today": today,
            "report_form": forms.ProgressReportForm(),
            "extension_form": forms.ExtensionForm(),
            "has_unit": bool(request.user.organization_id),
        },
    )


@policy_view(
    gate=policy.sees_everything, refusal=gettext_lazy("督办台账供牵头协调单位和领导使用。")
)
def board(request):
    """督办台账: every visible live assignment, overdue first; pending extensions on top."""
    assignments = selectors.assignment_list(request.user, scope=_scope(request))
    filterset = AssignmentFilter(request.GET or None, queryset=assignments, request=request)
    qs = filterset.qs if filterset.is_bound else assignments
    page = paginate(request, qs)
    return render(
        request,
        "tasks/board.html",
        {
            "filter": filterset,
            "page": page,
            "summary": selectors.task_status_summary(),
            "extensions": selectors.pending_extensions(request.user)[:50],
            "may_coordinate": services.may_decide_extension(request.user),
            "decision_form": forms.DecisionForm(),
            "return_form": forms.ReturnForm(),
            "overdue_units": selectors.overdue_units()[:10],
            "today": timezone.localdate(),
            "scope": _scope(request),
        },
    )


# --- one assignment and its actions -----------------------------------------------------------


def _assignments(request):
    # The policy's VIEW: the own unit's, and a task's lead unit its participating units' too.
    return Assignment.objects.select_related("task__source", "task__chapter", "unit")


@policy_view(model=Assignment, queryset=_assignments)
def assignment_detail(request, assignment: Assignment):
    today = timezone.localdate()
    events = assignment.events.select_related("actor").order_by("-at", "-pk")
    own = services.may_act_for_unit(request.user, assignment)
    context = {
        "a": assignment,
        "task": assignment.task,
        "today": today,
        "is_overdue": assignment.is_overdue_on(today),
        "events": events,
        "reports": assignment.reports.select_related("reported_by"),
        "extensions": assignment.extensions.select_related("requested_by", "decided_by"),
        "own": own,
        "is_live": assignment.task.source.is_live,
        "may_accept": assignment.status == Assignment.Status.SUBMITTED
        and assignment.task.source.is_live
        and services.may_accept(request.user, assignment),
        "may_decide": services.may_decide_extension(request.user, assignment),
        "days_left": services.MAX_EXTENSION_WORKING_DAYS - services.extension_days_used(assignment),
        # One rule for the form and the service: why no extension can be asked, if so.
        "extension_refusal": services.extension_refusal(assignment, today),
        "decline_deadline": services.decline_deadline(assignment),
        "may_decline": own
        and assignment.status == Assignment.Status.ASSIGNED
        and assignment.task.source.is_live
        and today <= services.decline_deadline(assignment),
    }
    if own:
        context.update(
            report_form=forms.ProgressReportForm(),
            submit_form=forms.SubmitForm(initial={"version": assignment.version}),
            extension_form=forms.ExtensionForm(),
            decline_form=forms.DeclineForm(initial={"version": assignment.version}),
        )
    context["return_form"] = forms.ReturnForm(initial={"version": assignment.version})
    context["accept_form"] = forms.AcceptForm(initial={"version": assignment.version})
    context["supplement_form"] = forms.SupplementForm(initial={"version": assignment.version})
    context["reassign_form"] = forms.ReassignForm()
    context["decision_form"] = forms.DecisionForm()
    return render(request, "tasks/assignment_detail.html", context)


def _transition(service, message):
    """A plain step: the service takes the comment and the version the page was read at."""

    def run(assignment, user, data):
        service(
            assignment=assignment,
            user=user,
            comment=data.get("comment", ""),
            expected_version=data.get("version"),
        )
        return str(message)

    return run


def _accept(assignment, user, data):
    result = services.accept_assignment(
        assignment=assignment,
        user=user,
        comment=data["comment"],
        expected_version=data.get("version"),
        satisfaction=data["satisfaction"],
    )
    if result.status == Assignment.Status.ACCEPTED:
        return _("已审核通过，任务办结。")
    return _("评价为不满意，已退回重办（10个工作日内）。")


def _decline(assignment, user, data):
    services.decline_assignment(
        assignment=assignment,
        user=user,
        comment=data["comment"],
        suggested_unit=data.get("suggested_unit") or None,
        expected_version=data.get("version"),
    )
    return _("已退单，等待督办单位改派。")


def _reassign(assignment, user, data):
    services.reassign_assignment(
        assignment=assignment, user=user, unit=data["unit"], comment=data.get("comment", "")
    )
    return _("已改派。")


def _refuse_decline(assignment, user, data):
    services.refuse_decline(assignment=assignment, user=user, comment=data.get("comment", ""))
    return _("退单不予认可，任务退回原单位办理。")


def _report(assignment, user, data):
    services.report_progress(
        assignment=assignment, user=user, text=data["text"], attachment=data.get("attachment")
    )
    return _("进展已报送。")


def _extend(assignment, user, data):
    services.request_extension(
        assignment=assignment,
        user=user,
        working_days=data["working_days"],
        reason=data["reason"],
    )
    return _("延期申请已提交，等待牵头协调单位审批。")


@dataclass(frozen=True)
class _Step:
    """One button of the assignment page: the form that reads its POST and the service call
    (which decides who may take the step) returning the message to show."""

    form: type
    run: Callable[[Assignment, object, dict], str]
    lenient: bool = False  # refuse-decline goes ahead with whatever comment it was given


STEPS: dict[str, _Step] = {
    "start": _Step(
        forms.TransitionForm, _transition(services.start_assignment, gettext_lazy("已开始办理。"))
    ),
    "submit": _Step(
        forms.SubmitForm,
        _transition(services.submit_assignment, gettext_lazy("已报办结，等待审核。")),
    ),
    "return": _Step(
        forms.ReturnForm, _transition(services.return_assignment, gettext_lazy("已退回重办。"))
    ),
    "supplement": _Step(
        forms.SupplementForm,
        _transition(services.order_supplement, gettext_lazy("已责成补办（3个工作日内）。")),
    ),
    "accept": _Step(forms.AcceptForm, _accept),
    "decline": _Step(forms.DeclineForm, _decline),
    "reassign": _Step(forms.ReassignForm, _reassign),
    "refuse-decline": _Step(forms.TransitionForm, _refuse_decline, lenient=True),
    "report": _Step(forms.ProgressReportForm, _report),
    "extend": _Step(forms.ExtensionForm, _extend),
}


@policy_view(model=Assignment, queryset=_assignments, methods=("POST",))
def assignment_action(request, assignment: Assignment, action: str):
    """One supervision step; the service decides who may take it (its refusal is a 403)."""
    step = STEPS.get(action)
    if step is None:
        raise Http404
    detail_url = reverse("tasks:assignment", args=[assignment.pk])
    form = step.form(request.POST, request.FILES)
    try:
        if not form.is_valid() and not step.lenient:
            raise ValidationError(form_errors(form))
        done = step.run(assignment, request.user, form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect_next(request, detail_url)
    messages.success(request, done)
    return redirect_next(request, detail_url)


@policy_view(
    model=ExtensionRequest, methods=("POST",), action=policy.Action.DECIDE, pass_as="extension"
)
def extension_decide(request, extension: ExtensionRequest):
    form = forms.DecisionForm(request.POST)
    form.is_valid()
    approve = request.POST.get("decision") == "approve"
    default = reverse("tasks:assignment", args=[extension.assignment_id])
    try:
        services.decide_extension(
            extension=extension,
            user=request.user,
            approve=approve,
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect_next(request, default)
    messages.success(request, _("已批准延期。") if approve else _("已不予延期。"))
    return redirect_next(request, default)


@policy_view(model=ProgressReport, pass_as="report")
def attachment(request, report: ProgressReport):
    """Serve a progress report's attachment to those who may see the report (never /media/):
    its own unit, the task's lead units, and those who see everything."""
    return file_download(report.attachment, filename=report.attachment_name)


# --- source documents and their life cycle ----------------------------------------------------


@policy_view()
def sources(request):
    """来源文件: each task list with its period, status, supervising units and counts; the
    supervisors (or the administrator) move it along 执行中 → 总结评估 → 已办结 → 归档."""
    summary = {row["code"]: row for row in selectors.task_status_summary()["per_source"]}
    documents = []
    for doc in SourceDocument.objects.prefetch_related("supervising_units").select_related(
        "closed_by"
    ):
        may_manage = services.may_manage_document(request.user, doc)
        documents.append(
            {
                "doc": doc,
                "counts": summary.get(doc.code, {}),
                "may_manage": may_manage,
                "form": DocumentStatusForm(document=doc) if may_manage else None,
            }
        )
    return render(request, "tasks/sources.html", {"documents": documents})


@policy_view(model=SourceDocument, methods=("POST",), pass_as="doc")
def source_status(request, doc: SourceDocument):
    """The service decides who moves a document (its supervisors, the administrator)."""
    form = DocumentStatusForm(request.POST, document=doc)
    default = reverse("tasks:sources")
    if not form.is_valid():
        messages.error(request, "；".join(form_errors(form)))
        return redirect_next(request, default)
    try:
        services.change_document_status(
            source=doc,
            user=request.user,
            status=form.cleaned_data["status"],
            on=form.cleaned_data.get("on"),
            note=form.cleaned_data.get("note") or "",
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect_next(request, default)
    doc.refresh_from_db()
    messages.success(
        request,
        _("《%(short_name)s》已转为“%(status)s”。")
        % {"short_name": doc.short_name, "status": doc.get_status_display()},
    )
    return redirect_next(request, default)


def _sees_all_or_has_unit(user) -> bool:
    return policy.sees_everything(user) or policy.belongs_to_unit(user)


@policy_view(gate=_sees_all_or_has_unit)
def assignment_export(request):
    """督办台账 as Excel, filtered as the page is (``?scope=history`` exports the history)."""
    scope = _scope(request)
    if policy.sees_everything(request.user):
        base = selectors.assignment_list(request.user, scope=scope)
    else:
        base = selectors.my_assignments(request.user, scope=scope)
    filterset = AssignmentFilter(request.GET or None, queryset=base, request=request)
    qs = filterset.qs if filterset.is_bound else base
    today = timezone.localdate()
    headers = [
        _("来源文件"),
        _("文件状态"),
        _("序号"),
        _("任务"),
        _("承办单位"),
        _("分工"),
        _("状态"),
        _("截止日期"),
    ]
    headers += [_("逾期"), _("满意度"), _("办结日期")]

    def rows():
        for a in qs.iterator(chunk_size=500):
            yield [
                a.task.source.short_name,
                a.task.source.get_status_display(),
                a.task.number,
                a.task.short_title,
                a.unit.name,
                a.get_role_display(),
                a.get_status_display(),
                a.due_date.isoformat() if a.due_date else "",
                _("是") if a.is_overdue else "",
                a.get_satisfaction_display() if a.satisfaction else "",
                a.accepted_on.isoformat() if a.accepted_on else "",
            ]

    label = {"live": _("在办"), "history": _("历史"), "all": _("全部")}[scope]
    content = workbook_bytes(
        headers,
        rows(),
        title="督办台账",
        widths=[14, 10, 6, 48, 24, 6, 12, 12, 6, 10, 12],
        caption=f"督办台账（{label}，截至{today:%Y年%m月%d日}）",
        filters=[("范围", str(label)), *(f for f in describe_filters(filterset) if f[0] != "范围")],
    )
    return xlsx_response(content, f"督办台账_{label}_{today:%Y%m%d}.xlsx")


@policy_view(
    gate=policy.sees_everything, refusal=gettext_lazy("单位办理情况统计供督办单位和领导使用。")
)
def unit_rates(request):
    """承办单位考核: 12345 rates per unit (003 第二十七条) over the live documents' assignments,
    or one document's (``?source=004``, its history included when it is no longer live)."""
    code = request.GET.get("source") or ""
    source = SourceDocument.objects.filter(code=code).first() if code else None
    queryset = Assignment.objects.filter(task__source=source) if source else None
    return render(
        request,
        "tasks/unit_rates.html",
        {
            "rows": selectors.unit_rates(queryset=queryset),
            "source": source,
            "sources": SourceDocument.objects.all(),
            "today": timezone.localdate(),
        },
    )
