"""Problem pages: the list (filters shared with the API), one ticket with its steps, and
reporting a problem from a project, a monthly update (调度) or a contract report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import permissions as policy
from apps.core.concurrency import ConcurrentEditError
from apps.core.forms import error_text
from apps.core.pages import policy_view
from apps.core.paging import paginate
from apps.problems import selectors, services
from apps.problems.filters import ProblemFilter
from apps.problems.forms import ProblemForm, StepForm
from apps.problems.models import ProblemTicket

STEP_LABELS = {
    "accept": _("受理"),
    "answer": _("答复"),
    "resolve": _("确认已解决"),
    "reopen": _("仍未解决"),
}


@policy_view()
def problem_list(request):
    visible = selectors.visible_problems(request.user)
    filterset = ProblemFilter(request.GET or None, queryset=visible)
    qs = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = paginate(request, qs.order_by("-opened_on", "-pk"), choices=(30,))
    return render(
        request,
        "problems/list.html",
        {"filter": filterset, "page": page, "today": timezone.localdate()},
    )


def _tickets(request):
    return selectors.visible_problems(request.user)


@policy_view(model=ProblemTicket, queryset=_tickets, pass_as="ticket")
def problem_detail(request, ticket: ProblemTicket):
    steps = [(s, STEP_LABELS[s]) for s in services.available_steps(request.user, ticket)]
    return render(
        request,
        "problems/detail.html",
        {
            "ticket": ticket,
            "events": selectors.ticket_events(ticket),
            "steps": steps,
            "today": timezone.localdate(),
        },
    )


@policy_view(model=ProblemTicket, queryset=_tickets, methods=("POST",), pass_as="ticket")
def problem_step(request, ticket: ProblemTicket):
    """One step; the service decides who may take it (its refusal is the policy's 403)."""
    pk = ticket.pk
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作无效。"))
        return redirect("problems:detail", pk=pk)
    try:
        services.perform(
            user=request.user,
            ticket=ticket,
            step=form.cleaned_data["step"],
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )
    except ConcurrentEditError as exc:
        messages.error(request, exc.messages[0])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        label = STEP_LABELS[form.cleaned_data["step"]]
        messages.success(request, _("已%(step)s。") % {"step": label})
    return redirect("problems:detail", pk=pk)


def _source(request):
    """The project, monthly update, contract or contract report the problem is reported on
    (``?project=``, ``?update=``, ``?contract=``, ``?report=``), if the user may see it."""
    from apps.contracts.models import Contract, ContractReport
    from apps.projects.models import Project, ProjectMonthlyUpdate

    kinds = {
        "update": (ProjectMonthlyUpdate, "monthly_update"),
        "report": (ContractReport, "contract_report"),
        "project": (Project, "project"),
        "contract": (Contract, "contract"),
    }
    for param, (model, kwarg) in kinds.items():
        raw = request.GET.get(param) or request.POST.get(param)
        if raw is None:
            continue
        if not raw.isdigit() or len(raw) > 18:
            raise Http404
        qs = policy.restrict(model.objects.all(), request.user, policy.Action.VIEW)
        obj = qs.filter(pk=int(raw)).first()
        if obj is None:
            raise Http404
        return param, kwarg, obj
    raise Http404


@policy_view(methods=("GET", "POST"))
def problem_create(request):
    param, kwarg, source = _source(request)
    # Only the unit that owns the project (or contract, or report) reports its problems: the
    # form itself is refused to anyone else, as the service would refuse the ticket.
    if not policy.can(request.user, policy.Action.CHANGE, source):
        raise PermissionDenied(_("只能为本单位的项目报告困难问题。"))
    # A report's "problems" text starts the description (a project's "problems" is its tickets).
    stated = getattr(source, "problems", "")
    initial = {"description": stated if isinstance(stated, str) else ""}
    form = ProblemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.open_problem(
                user=request.user,
                category=form.cleaned_data["category"],
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                **{kwarg: source},
            )
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("问题已分办至%(dept)s，办理时限%(deadline)s。")
                % {"dept": ticket.responsible_department.name, "deadline": ticket.deadline},
            )
            return redirect("problems:detail", pk=ticket.pk)
    return render(
        request,
        "problems/form.html",
        {"form": form, "source": source, "param": param, "source_kind": kwarg},
    )
