"""Forms of the project pages. They validate input only; views hand it to the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext, gettext_lazy

from apps.core import permissions as policy
from apps.core.forms import CompactForm, MonthField
from apps.core.uploads import validate_document, validate_photo, validate_spreadsheet
from apps.projects.filters import RegionChoiceField
from apps.projects.models import (
    FACTOR_UNITS,
    Campaign,
    DocumentKind,
    Expert,
    ExpertOpinion,
    FactorKind,
    FactorStatus,
    MilestoneKind,
    Project,
    ProjectMonthlyUpdate,
    Stage,
    Verdict,
)
from apps.projects.services import PROJECT_FIELDS
from apps.reference.models import Organization, Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.ModelForm):
    """Create/edit a project. The library status is not a field; stage only on creation."""

    region = RegionChoiceField(
        queryset=Region.objects.exclude(level=Region.Level.PROVINCE).select_related("parent"),
        label=gettext_lazy("所在地区"),
        help_text=gettext_lazy("市州或县（区、市、行委）；县级项目须选县。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    # Sections of the page, in order: (title, field names).
    SECTIONS = [
        (
            gettext_lazy("基本信息"),
            [
                "name",
                "code",
                "tier",
                "region",
                "latitude",
                "longitude",
                "sector",
                "infrastructure_domain",
                "stage",
            ],
        ),
        (
            gettext_lazy("责任主体"),
            ["responsible_unit", "implementing_entity", "supervising_department"],
        ),
        (
            gettext_lazy("投资与计划"),
            [
                "total_investment",
                "plan_year",
                "planned_investment_year",
                "planned_start",
                "planned_end",
            ],
        ),
        (
            gettext_lazy("资金来源（亿元）"),
            [
                "fund_central_budget",
                "fund_special_bonds",
                "fund_policy_finance",
                "fund_bank_loans",
                "fund_social_capital",
                "fund_other",
            ],
        ),
        (gettext_lazy("建设内容与进度"), ["scale_content", "schedule"]),
        (gettext_lazy("审批情况"), ["approval_type", "approval_number", "approval_date"]),
        (
            gettext_lazy("标识与批次"),
            [
                "is_head_project",
                "liaison_leader",
                "is_14th_fyp_major",
                "is_ppp",
                "campaign",
                "batch",
            ],
        ),
        (gettext_lazy("备注"), ["note"]),
    ]

    class Meta:
        model = Project
        fields = [*PROJECT_FIELDS, "stage"]
        widgets = {
            "planned_start": DATE,
            "planned_end": DATE,
            "approval_date": DATE,
            "scale_content": forms.Textarea(attrs={"rows": 3}),
            "schedule": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        units = policy.organizations_for_forms(user)
        self.fields["responsible_unit"].queryset = units
        if not policy.is_admin(user) and user.organization_id:
            self.fields["responsible_unit"].initial = user.organization_id
            self.fields["responsible_unit"].empty_label = None
        # Government departments only (a project saved earlier with another kind keeps it).
        departments = Organization.objects.government_departments()
        if self.instance.supervising_department_id:
            departments |= Organization.objects.filter(pk=self.instance.supervising_department_id)
        self.fields["supervising_department"].queryset = departments.order_by("kind", "name")
        self.fields["campaign"].queryset = Campaign.objects.all()
        self.fields["plan_year"].widget.attrs.update({"min": 2000, "max": 2100})
        amounts = [f for f in PROJECT_FIELDS if f.startswith("fund_")]
        for name in ("total_investment", "planned_investment_year", *amounts):
            self.fields[name].widget.attrs.update({"step": "0.0001", "min": "0"})
        if self.instance.pk:
            del self.fields["stage"]  # changed on the detail page, with its date
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["stage"].help_text = gettext(
                "新建时的阶段；之后在项目页面登记阶段变更（含日期）。"
            )

    def sections(self):
        for title, names in self.SECTIONS:
            yield title, [self[n] for n in names if n in self.fields]

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("responsible_unit")
        if unit is not None and not policy.can_create_for(self.user, unit):
            self.add_error("responsible_unit", gettext("只能选择本单位。"))
        return cleaned

    def _post_clean(self):
        # Model validation runs in the service (full_clean) so the rules live in one place;
        # here only construct the instance for field errors of the form itself.
        pass

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k in PROJECT_FIELDS}
        if "stage" in self.cleaned_data:
            data["stage"] = self.cleaned_data["stage"]
        return data


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(
        label=gettext_lazy("意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=gettext_lazy("新阶段"), choices=Stage.choices)
    changed_on = forms.DateField(label=gettext_lazy("变更日期"), widget=DATE, required=False)
    note = forms.CharField(
        label=gettext_lazy("说明"),
        max_length=255,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("说明（可选），如 签约仪式、开工仪式")}
        ),
    )


class MonthlyUpdateForm(forms.ModelForm):
    period = MonthField(label=gettext_lazy("月份"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ProjectMonthlyUpdate
        fields = [
            "period",
            "completed_this_month",
            "stage",
            "progress",
            "problems",
            "confirmation_note",
        ]
        widgets = {
            "confirmation_note": forms.Textarea(
                attrs={
                    "rows": 2,
                    "placeholder": gettext_lazy("仅在本月完成投资超过年度计划投资时需要填写"),
                }
            ),
            "progress": forms.Textarea(attrs={"rows": 2}),
            "problems": forms.Textarea(
                attrs={"rows": 2, "placeholder": gettext_lazy("无则留空；填写后将提示协调")}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_this_month"].widget.attrs.update({"step": "0.0001", "min": "0"})
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        pass  # the service validates the model (one report per project and month …)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("重大项目建议表（.xlsx）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
        validators=[validate_spreadsheet],
    )


class ChecklistForm(forms.Form):
    """The reviewer's 入库条件 judgements: one verdict and comment per condition of entry."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for criterion, judgement in rows:
            self.fields[f"verdict_{criterion.pk}"] = forms.ChoiceField(
                label=criterion.name,
                choices=[("", gettext("未审查")), *Verdict.choices],
                required=False,
                initial=judgement.verdict if judgement else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=gettext("审查意见"),
                required=False,
                max_length=2000,
                initial=judgement.comment if judgement else "",
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm",
                        "placeholder": gettext("审查意见"),
                    }
                ),
            )

    def lines(self):
        for criterion, judgement in self.rows:
            yield (
                criterion,
                judgement,
                self[f"verdict_{criterion.pk}"],
                self[f"comment_{criterion.pk}"],
            )

    def judgements(self):
        """(criterion, verdict, comment) for every condition given a verdict on this form."""
        return [
            (c, self.cleaned_data[f"verdict_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c, _ in self.rows
            if self.cleaned_data.get(f"verdict_{c.pk}")
        ]


class ExpertOpinionForm(forms.ModelForm):
    class Meta:
        model = ExpertOpinion
        fields = ["expert", "given_on", "conclusion", "opinion"]
        widgets = {"given_on": DATE, "opinion": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = Expert.objects.filter(is_active=True)

    def _post_clean(self):
        pass  # the service validates (active expert, date not in the future …)


class MilestonesForm(CompactForm):
    """All seven 前期工作 steps on one form: date, document number, issuing body each."""

    def __init__(self, *args, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing
        for kind, label in MilestoneKind.choices:
            m = existing.get(kind)
            self.fields[f"done_on_{kind}"] = forms.DateField(
                label=gettext("%(label)s办结日期") % {"label": label}, required=False, widget=DATE,
                initial=m.done_on if m else None,
            )  # fmt: skip
            self.fields[f"document_number_{kind}"] = forms.CharField(
                label=gettext("文号"), required=False, max_length=100,
                initial=m.document_number if m else "",
            )  # fmt: skip
            self.fields[f"issuing_body_{kind}"] = forms.CharField(
                label=gettext("出具单位"), required=False, max_length=128,
                initial=m.issuing_body if m else "",
            )  # fmt: skip

    def lines(self):
        for kind, label in MilestoneKind.choices:
            yield (
                label,
                self.existing.get(kind),
                self[f"done_on_{kind}"],
                self[f"document_number_{kind}"],
                self[f"issuing_body_{kind}"],
            )

    def entries(self):
        """(kind, values) for every step filled in or already on record."""
        for kind, _ in MilestoneKind.choices:
            values = {
                "done_on": self.cleaned_data.get(f"done_on_{kind}"),
                "document_number": self.cleaned_data.get(f"document_number_{kind}", ""),
                "issuing_body": self.cleaned_data.get(f"issuing_body_{kind}", ""),
            }
            if kind in self.existing or any(values.values()):
                yield kind, values


class FactorNeedsForm(forms.Form):
    """The 要素保障 needs on one form: quantity, status and, when difficult, the difficulty."""

    def __init__(self, *args, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing = existing
        for kind, label in FactorKind.choices:
            n = existing.get(kind)
            unit = FACTOR_UNITS[kind]
            self.fields[f"quantity_{kind}"] = forms.DecimalField(
                label=f"{label}（{unit}）" if unit else label, required=False, min_value=0,
                max_digits=14, decimal_places=4, initial=n.quantity if n else None,
            )  # fmt: skip
            self.fields[f"description_{kind}"] = forms.CharField(
                label=gettext("需求说明"), required=False, max_length=255,
                initial=n.description if n else "",
            )  # fmt: skip
            self.fields[f"status_{kind}"] = forms.ChoiceField(
                label=gettext("保障情况"), required=False,
                choices=[("", "—"), *FactorStatus.choices],
                initial=n.status if n else "",
            )  # fmt: skip
            self.fields[f"difficulty_{kind}"] = forms.CharField(
                label=gettext("困难说明"), required=False, initial=n.difficulty if n else "",
            )  # fmt: skip

    def lines(self):
        for kind, label in FactorKind.choices:
            yield (
                label,
                self.existing.get(kind),
                self[f"quantity_{kind}"],
                self[f"description_{kind}"],
                self[f"status_{kind}"],
                self[f"difficulty_{kind}"],
            )

    def entries(self):
        for kind, label in FactorKind.choices:
            status = self.cleaned_data.get(f"status_{kind}")
            values = {
                "quantity": self.cleaned_data.get(f"quantity_{kind}"),
                "description": self.cleaned_data.get(f"description_{kind}", ""),
                "difficulty": self.cleaned_data.get(f"difficulty_{kind}", ""),
            }
            if status:
                yield kind, {"status": status, **values}
            elif values["quantity"] is not None or values["description"]:
                self.add_error(
                    f"status_{kind}", gettext("请选择%(label)s的保障情况。") % {"label": label}
                )


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("文件类别"), choices=DocumentKind.choices)
    title = forms.CharField(label=gettext_lazy("文件名称"), max_length=200, required=False)
    file = forms.FileField(label=gettext_lazy("文件"), validators=[validate_document])


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=gettext_lazy("形象进度照片（JPEG/PNG）"),
        validators=[validate_photo],
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )
    caption = forms.CharField(label=gettext_lazy("说明"), max_length=200, required=False)
