"""Pages of the project library. Thin: scope through the policy, validate with forms, call the
services and selectors, render."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import permissions as policy
from apps.core.downloads import file_download
from apps.core.excel import describe_filters, xlsx_file_response, xlsx_response
from apps.core.forms import attach_errors, error_text
from apps.core.pages import policy_view
from apps.core.paging import paginate
from apps.core.periods import add_months, current_period, parse_period, period_label
from apps.core.redirects import next_url
from apps.jobs.services import job_url, query_data, start_job
from apps.projects import campaigns, excel, selectors, services, tasks
from apps.projects.filters import MonthlyUpdateFilter, ReviewQueueFilter
from apps.projects.forms import (
    ChecklistForm,
    DocumentForm,
    ExpertOpinionForm,
    FactorNeedsForm,
    ImportForm,
    MilestonesForm,
    MonthlyUpdateForm,
    PhotoForm,
    ProjectForm,
    StageForm,
    TransitionForm,
)
from apps.projects.models import (
    LibraryStatus,
    Project,
    ProjectDocument,
    ProjectMonthlyUpdate,
    ProjectReviewEvent,
    ReviewAction,
    Tier,
    UpdatePhoto,
)
from apps.projects.workflow import TRANSITIONS, available_transitions
from apps.reference.models import Region

EXPORT_IN_BACKGROUND = 2000  # rows; larger exports run as a tracked job
IMPORT_IN_BACKGROUND_BYTES = 256 * 1024  # about 1,000 rows of the 建议表


@policy_view()
def project_list(request):
    filterset = selectors.project_list(user=request.user, data=request.GET or None)
    qs = filterset.qs
    totals = selectors.list_totals(qs)
    # The filtered set by 市州 for the map; a click narrows the same filters to that 市州.
    params = request.GET.copy()
    params.pop("page", None)
    by_region = selectors.library_totals(queryset=qs, by="region")
    for row in by_region:
        params["region"] = row["key"]
        row["url"] = f"{reverse('projects:list')}?{params.urlencode()}"
    # The totals line has counted the filtered set already: the paginator reuses that count.
    page = paginate(request, qs, count=totals["count"])
    return render(
        request,
        "projects/list.html",
        {
            "filter": filterset,
            "page": page,
            "totals": totals,
            "can_create": policy.can_create(request.user),
            "ordering": request.GET.get("ordering", ""),
            "map_rows": selectors.map_rows(by_region),
        },
    )


def _for_detail(request):
    return (
        selectors.visible_projects(request.user)
        .for_lists()
        .select_related("supervising_department", "campaign", "created_by")
    )


@policy_view(model=Project, queryset=_for_detail)
def project_detail(request, project: Project):
    can_change = policy.can(request.user, policy.Action.CHANGE, project)
    updates = list(selectors.project_updates(project))
    checklist = selectors.checklist_rows(project)
    may_judge = project.library_status == LibraryStatus.IN_REVIEW and policy.may_review_project(
        request.user, project
    )
    ctx = {
        "project": project,
        "object": project,
        "can_change": can_change,
        "transitions": available_transitions(request.user, project),
        "transition_form": TransitionForm(),
        "events": project.review_events.select_related("actor"),
        "stage_changes": project.stage_changes.select_related("changed_by"),
        "updates": updates,
        "stage_form": StageForm(initial={"stage": project.stage}) if can_change else None,
        "can_report": can_change and project.library_status == LibraryStatus.APPROVED,
        "next_period": selectors.next_report_period(updates),
        # Once this month is filed the button opens it (view/edit) instead of offering it anew.
        "current_update": next((u for u in updates if u.period == current_period()), None),
        "return_reason": _return_reason(project),
        "checklist": checklist,
        "checklist_problems": selectors.checklist_problems(project)
        if project.library_status == LibraryStatus.IN_REVIEW
        else [],
        "checklist_form": ChecklistForm(rows=checklist) if may_judge else None,
        "expert_opinions": project.expert_opinions.select_related("expert", "recorded_by"),
        "expert_form": ExpertOpinionForm() if may_judge else None,
        **_preparation_context(project, can_change and not project.is_closed),
    }
    return render(request, "projects/detail.html", ctx)


def _preparation_context(project: Project, editable: bool) -> dict:
    milestones = {m.kind: m for m in project.milestones.all()}
    needs = {n.kind: n for n in project.factor_needs.select_related("problem_ticket")}
    return {
        "milestones_form": MilestonesForm(existing=milestones),
        "factors_form": FactorNeedsForm(existing=needs),
        "preparation_editable": editable,
        "documents": project.documents.select_related("uploaded_by"),
        "document_form": DocumentForm() if editable else None,
        "photos": UpdatePhoto.objects.filter(update__project=project)
        .select_related("update")
        .order_by("-update__period", "id"),
    }


def _return_reason(project: Project) -> ProjectReviewEvent | None:
    """The latest 退回修改 of a returned project: shown beside 重新提交."""
    if project.library_status != LibraryStatus.RETURNED:
        return None
    return (
        project.review_events.filter(action=ReviewAction.RETURN)
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )


@policy_view(
    gate=policy.can_create, methods=("GET", "POST"), refusal=gettext_lazy("您的角色不能新建项目。")
)
def project_create(request):
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(user=request.user, data=form.service_data())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("已新建项目“%(name)s”（草稿）。核对无误后请提交审核。") % {"name": project.name},
            )
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/form.html", {"form": form, "project": None})


@policy_view(model=Project, action=policy.Action.CHANGE, methods=("GET", "POST"))
def project_edit(request, project: Project):
    pk = project.pk
    if not project.is_editable:
        messages.error(
            request,
            _("项目当前为“%(library_status)s”，审核期间或已关闭的项目不能修改。")
            % {"library_status": project.get_library_status_display()},
        )
        return redirect("projects:detail", pk=pk)
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(
                user=request.user,
                project=Project.objects.get(pk=pk),
                data=form.service_data(),
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("projects:detail", pk=pk)
    return render(request, "projects/form.html", {"form": form, "project": project})


@policy_view(model=Project, methods=("POST",))
def project_transition(request, project: Project):
    """One workflow step from the detail page or the reviewer queue (action + comment).

    The service decides who may take the step (reviewers, or the project's own unit); its
    refusal is the policy's 403 like everywhere else."""
    pk = project.pk
    form = TransitionForm(request.POST)
    form.is_valid()
    action = request.POST.get("action", "")
    step = TRANSITIONS.get(action)
    back = next_url(request, reverse("projects:detail", args=[pk]))
    if step is None:
        messages.error(request, _("未知的操作“%(action)s”。") % {"action": action})
        return redirect(back)
    try:
        services.take_step(
            user=request.user,
            project=project,
            action=action,
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(back)
    project.refresh_from_db()
    messages.success(
        request,
        _("“%(name)s”已%(label)s，当前状态：%(library_status)s。")
        % {
            "name": project.name,
            "label": step.label,
            "library_status": project.get_library_status_display(),
        },
    )
    return redirect(back)


@policy_view(gate=policy.may_review, model=Project, methods=("POST",))
def project_checklist(request, project: Project):
    """The reviewer's 入库条件 judgements (001 五(三)) from the detail page."""
    pk = project.pk
    form = ChecklistForm(request.POST, rows=selectors.checklist_rows(project))
    if form.is_valid():
        try:
            saved = services.judge_criteria(
                user=request.user, project=project, judgements=form.judgements()
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, _("已保存 %(count)s 项入库条件审查。") % {"count": len(saved)}
            )
    else:
        messages.error(request, _("入库条件审查填写有误，请检查。"))
    return redirect(reverse("projects:detail", args=[pk]) + "#entry-checklist")


@policy_view(gate=policy.may_review, model=Project, methods=("POST",))
def project_expert_opinion(request, project: Project):
    """Record one named expert's dated 专家论证 opinion."""
    pk = project.pk
    form = ExpertOpinionForm(request.POST)
    if form.is_valid():
        try:
            services.record_expert_opinion(user=request.user, project=project, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("已录入%(name)s的论证意见。") % {"name": form.cleaned_data["expert"].name},
            )
    else:
        messages.error(
            request,
            _("专家论证意见填写有误：")
            + "；".join(
                f"{form.fields[f].label}：{'、'.join(e)}"
                for f, e in form.errors.items()
                if f in form.fields
            ),
        )
    return redirect(reverse("projects:detail", args=[pk]) + "#expert-opinions")


@policy_view(model=Project, action=policy.Action.CHANGE, methods=("POST",))
def project_stage(request, project: Project):
    pk = project.pk
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.change_stage(
                user=request.user,
                project=project,
                stage=form.cleaned_data["stage"],
                on=form.cleaned_data["changed_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request, _("阶段已变更为“%(stage)s”。") % {"stage": project.get_stage_display()}
            )
    else:
        messages.error(request, _("请选择新的阶段。"))
    return redirect("projects:detail", pk=pk)


@policy_view(model=Project, action=policy.Action.CHANGE, methods=("GET", "POST"))
def update_create(request, project: Project):
    initial = {"period": current_period(), "stage": project.stage}
    if request.GET.get("period"):
        with contextlib.suppress(ValueError):
            initial["period"] = parse_period(request.GET["period"])
    form = MonthlyUpdateForm(request.POST or None, initial=initial)
    return _save_update(request, project, form, None)


@policy_view(
    model=ProjectMonthlyUpdate,
    action=policy.Action.CHANGE,
    methods=("GET", "POST"),
    pass_as="update",
)
def update_edit(request, update: ProjectMonthlyUpdate):
    form = MonthlyUpdateForm(request.POST or None, instance=update)
    return _save_update(request, update.project, form, update)


def _save_update(request, project, form, update):
    if request.method == "POST" and form.is_valid():
        try:
            services.record_monthly_update(
                user=request.user,
                project=project,
                update=update,
                version=form.cleaned_data.get("version"),
                **{k: form.cleaned_data[k] for k in form.Meta.fields},
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("已保存 %(period_label)s 的调度。")
                % {"period_label": period_label(form.cleaned_data["period"])},
            )
            return redirect("projects:detail", pk=project.pk)
    return render(
        request, "projects/update_form.html", {"form": form, "project": project, "update": update}
    )


@policy_view(gate=policy.may_review, refusal=gettext_lazy("只有审核员可以使用审核队列。"))
def review_queue(request):
    queue = selectors.review_queue(request.user)
    filterset = ReviewQueueFilter(request.GET or None, queryset=queue, request=request)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else queue
    status = filterset.form.cleaned_data.get("status") if filterset.is_bound else ""
    counts = selectors.status_counts(queue)
    today = timezone.localdate()
    campaign = selectors.current_campaign()
    standing = campaigns.standing(campaign, today)
    page = paginate(request, qs)
    rows = [(p, available_transitions(request.user, p)) for p in page]
    return render(
        request,
        "projects/review_queue.html",
        {
            "rows": rows,
            "page": page,
            "filter": filterset,
            "counts": counts,
            "status": status or "",
            "batches": campaign.batches.all() if campaign else [],
            "campaign": campaign,
            **standing,
            "deadlines": campaigns.deadlines(campaign) if campaign else [],
            "overdue": campaigns.overdue_by_prefecture(campaign, today)
            if standing["campaign_is_current"]
            else [],
            "today": today,
            "scope_label": _review_scope_label(request.user),
        },
    )


def _review_scope_label(user) -> str:
    if policy.is_admin(user):
        return _("全部层级（系统管理员）")
    prefecture = policy.reviewer_prefecture_id(user)
    if prefecture is None:
        return _("省级项目（省发展改革委）")
    region = Region.objects.filter(pk=prefecture).first()
    return _("%(value)s的市州级、县级项目") % {"value": region.display_name if region else ""}


@policy_view()
def targets(request):
    """The library against the campaign's targets: by 市州, sector and tier; size classes.

    Over the projects the user may view (a unit sees its own part against the targets)."""
    scope = request.GET.get("scope", "library")
    base = selectors.visible_projects(request.user)
    if scope == "proposed":
        base = base.proposed()
    else:
        scope = "library"
        base = base.in_library()
    campaign = selectors.current_campaign()
    year = timezone.localdate().year
    return render(
        request,
        "projects/targets.html",
        {
            "scope": scope,
            "campaign": campaign,
            "by_region": selectors.library_totals(queryset=base, by="region", campaign=campaign),
            "by_sector": selectors.library_totals(queryset=base, by="sector", campaign=campaign),
            "by_tier": selectors.library_totals(queryset=base, by="tier", campaign=campaign),
            "sizes": selectors.size_class_counts(base),
            "totals": selectors.list_totals(base),
            # The campaign owner may open the coming year's campaign from here.
            "openable_years": campaigns.openable_years()
            if policy.may_run_campaigns(request.user)
            else [],
            "year": year,
            "rates": selectors.completion_rates(
                year=year,
                by="region",
                queryset=selectors.visible_projects(request.user).in_library(),
            ),
            "tiers": Tier,
        },
    )


@policy_view()
def monthly_overview(request):
    """调度 of one month: the reports filed, the projects and units still owing one."""
    try:
        period = parse_period(request.GET["period"]) if request.GET.get("period") else None
    except ValueError:
        period = None
    period = period or current_period()
    visible = selectors.visible_projects(request.user)
    updates_qs = selectors.updates_with_cumulative(
        policy.restrict(ProjectMonthlyUpdate.objects.all(), request.user, policy.Action.VIEW)
        .filter(period=period)
        .select_related("project", "project__responsible_unit", "project__region")
    )
    filterset = MonthlyUpdateFilter(request.GET or None, queryset=updates_qs)
    missing = (
        selectors.projects_missing_monthly_update(period)
        .filter(pk__in=visible.values("pk"))
        .select_related("responsible_unit", "region")
        .order_by("responsible_unit__name", "name")
    )
    page = paginate(
        request,
        filterset.qs.order_by("project__responsible_unit__name", "project__name"),
        choices=(50,),
    )
    return render(
        request,
        "projects/monthly.html",
        {
            "period": period,
            "period_label": period_label(period),
            "prev_period": add_months(period, -1),
            "next_period": add_months(period, 1) if period < current_period() else None,
            "filter": filterset,
            "page": page,
            "missing": missing[:200],
            "missing_count": missing.count(),
        },
    )


# --- Excel -------------------------------------------------------------------------------------


@policy_view()
def export_xlsx(request):
    # The export's rows need no list annotations, only its own joins (below).
    filterset = selectors.project_list(
        user=request.user,
        data=request.GET or None,
        queryset=selectors.visible_projects(request.user),
    )
    filters = describe_filters(filterset)  # named in the workbook's title row
    qs = filterset.qs.select_related(
        "region", "sector", "infrastructure_domain", "responsible_unit", "supervising_department",
        "campaign",
    )  # fmt: skip
    if qs.count() > EXPORT_IN_BACKGROUND:
        # A large list is built by a worker; the job page shows progress, then the file.
        job = start_job(
            kind="projects.export",
            user=request.user,
            task=tasks.export_projects,
            kwargs={"query": query_data(request.GET), "filters": filters},
            label=_("导出重大项目清单"),
        )
        return redirect(job_url(job))
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    content = excel.export_projects_file(queryset=qs, filters=filters)
    return xlsx_file_response(content, f"重大项目清单-{stamp}.xlsx")


@policy_view()
def import_template(request):
    return xlsx_response(excel.template_bytes(), "青海省谋划攻坚重大项目建议表（模板）.xlsx")


@policy_view(
    gate=policy.can_create, methods=("GET", "POST"), refusal=gettext_lazy("您的角色不能导入项目。")
)
def import_xlsx(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > IMPORT_IN_BACKGROUND_BYTES:
            # Large files are validated and imported by a worker (still all or nothing); the
            # job page shows progress and, at the end, the counts or every error by row/column.
            job = services.PROJECT_IMPORT.start(
                user=request.user,
                file=upload,
                label=_("导入项目建议表 %(name)s") % {"name": upload.name},
            )
            return redirect(job_url(job))
        report = excel.import_projects(file=upload, user=request.user)
        if report.ok:
            messages.success(
                request,
                _("导入成功：新建 %(created)s 个项目（草稿），更新 %(updated)s 个项目。")
                % {"created": report.created, "updated": report.updated},
            )
    return render(
        request,
        "projects/import.html",
        {"form": form, "report": report, "columns_basis": _(excel.COLUMNS_BASIS)},
    )


# --- 前期工作, 要素保障, documents and photos ------------------------------------------------


@policy_view(model=Project, action=policy.Action.CHANGE, methods=("POST",))
def project_milestones(request, project: Project):
    pk = project.pk
    form = MilestonesForm(request.POST, existing={m.kind: m for m in project.milestones.all()})
    back = reverse("projects:detail", args=[pk]) + "#milestones"
    if not form.is_valid():
        messages.error(request, _("前期工作填写有误：请检查日期格式。"))
        return redirect(back)
    try:
        saved = services.save_milestones(user=request.user, project=project, entries=form.entries())
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已保存 %(count)s 项前期工作。") % {"count": len(saved)})
    return redirect(back)


@policy_view(model=Project, action=policy.Action.CHANGE, methods=("POST",))
def project_factors(request, project: Project):
    pk = project.pk
    form = FactorNeedsForm(request.POST, existing={n.kind: n for n in project.factor_needs.all()})
    back = reverse("projects:detail", args=[pk]) + "#factor-needs"
    entries = list(form.entries()) if form.is_valid() else []
    if not form.is_valid():
        messages.error(
            request,
            _("要素保障填写有误：") + "；".join(e for es in form.errors.values() for e in es),
        )
        return redirect(back)
    try:
        saved = services.save_factor_needs(user=request.user, project=project, entries=entries)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        tickets = [n for n in saved if n.problem_ticket_id and n.status == "difficult"]
        note = (
            _("，%(count)s 项存在困难已转为问题工单") % {"count": len(tickets)} if tickets else ""
        )
        messages.success(
            request,
            _("已保存 %(count)s 项要素保障%(note)s。") % {"count": len(saved), "note": note},
        )
    return redirect(back)


@policy_view(model=Project, action=policy.Action.CHANGE, methods=("POST",))
def document_upload(request, project: Project):
    pk = project.pk
    form = DocumentForm(request.POST, request.FILES)
    back = reverse("projects:detail", args=[pk]) + "#documents"
    if not form.is_valid():
        messages.error(request, "；".join(e for es in form.errors.values() for e in es))
        return redirect(back)
    try:
        doc = services.add_document(
            user=request.user,
            project=project,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("已上传“%(title)s”。") % {"title": doc.title})
    return redirect(back)


@policy_view()
def document_download(request, pk: int):
    """A project document, to those the policy lets see the project (never from /media/)."""
    doc = get_object_or_404(
        policy.restrict(ProjectDocument.objects.all(), request.user, policy.Action.VIEW), pk=pk
    )
    return file_download(doc.file, filename=doc.original_name)


@policy_view(
    model=ProjectMonthlyUpdate,
    action=policy.Action.CHANGE,
    methods=("GET", "POST"),
    pass_as="update",
)
def photo_upload(request, update: ProjectMonthlyUpdate):
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_update_photo(
                user=request.user,
                update=update,
                upload=form.cleaned_data["photo"],
                caption=form.cleaned_data["caption"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error("photo", error_text(exc))
        else:
            messages.success(
                request,
                _("已上传 %(period_label)s 的形象进度照片。")
                % {"period_label": update.period_label},
            )
            return redirect(reverse("projects:detail", args=[update.project_id]) + "#gallery")
    return render(
        request,
        "projects/photo_form.html",
        {"form": form, "update": update, "project": update.project,
         "photos": update.photos.all()},
    )  # fmt: skip


@policy_view()
def photo_file(request, pk: int, size: str = "full"):
    """A 形象进度 photo or its thumbnail, through the policy."""
    photo = get_object_or_404(
        policy.restrict(UpdatePhoto.objects.all(), request.user, policy.Action.VIEW), pk=pk
    )
    if size == "thumb":
        return file_download(photo.thumbnail, filename=f"thumb-{photo.pk}.jpg")
    return file_download(photo.image, filename=photo.original_name)
