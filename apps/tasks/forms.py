"""Forms of the supervision pages; they validate input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.tasks.models import ExtensionRequest


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TransitionForm(_Versioned):
    comment = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class SubmitForm(_Versioned):
    comment = forms.CharField(
        label=_("办理结果"),
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "class": "form-control form-control-sm",
                "placeholder": _("简述任务完成情况"),
            }
        ),
    )


class ReturnForm(_Versioned):
    comment = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class ProgressReportForm(forms.Form):
    text = forms.CharField(
        label=_("进展情况"),
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "class": "form-control form-control-sm",
                "placeholder": _("本阶段完成的工作、存在的问题、下一步安排"),
            }
        ),
    )
    attachment = forms.FileField(
        label=_("附件"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("可选，不超过 20 MB"),
    )


class ExtensionForm(forms.Form):
    working_days = forms.IntegerField(
        label=_("延期工作日"),
        min_value=1,
        max_value=ExtensionRequest.MAX_TOTAL_WORKING_DAYS,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
        help_text=_("每项任务累计不超过 10 个工作日，须在截止日期当日前提出"),
    )
    reason = forms.CharField(
        label=_("延期理由"),
        widget=forms.Textarea(
            attrs={"rows": 2, "class": "form-control form-control-sm", "placeholder": _("延期理由")}
        ),
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("审批意见"),
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("不予批准时必填")}
        ),
    )


class AcceptForm(_Versioned):
    """答复认定 and 回访: the satisfaction judgement decides; 不满意 sends the work back."""

    satisfaction = forms.ChoiceField(
        label=_("满意度"),
        choices=[
            ("satisfied", _("满意")),
            ("basically", _("基本满意")),
            ("unsatisfied", _("不满意（退回重办）")),
        ],
        initial="satisfied",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
        help_text=_("不满意时必填，写明需重新办理的内容"),
    )


class SupplementForm(_Versioned):
    comment = forms.CharField(
        label=_("需补办的材料或内容"),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class DeclineForm(_Versioned):
    comment = forms.CharField(
        label=_("退单依据"),
        widget=forms.Textarea(
            attrs={
                "rows": 2,
                "class": "form-control form-control-sm",
                "placeholder": _("说明非本单位职责的依据"),
            }
        ),
    )
    suggested_unit = forms.CharField(
        label=_("改派意见"),
        required=False,
        max_length=64,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": _("建议承办单位")}
        ),
    )


class ReassignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("改派至"),
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    comment = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, **kwargs):
        from apps.reference.models import Organization

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organization.objects.filter(is_active=True).order_by(
            "kind", "name"
        )


class DocumentStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("转为"),
        choices=[],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    on = forms.DateField(
        label=_("办结日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, document=None, **kwargs):
        from apps.core.lifecycle import NEXT_STEPS, DocumentStatus

        super().__init__(*args, **kwargs)
        steps = NEXT_STEPS[document.status] if document is not None else set(DocumentStatus)
        self.fields["status"].choices = [(s.value, s.label) for s in DocumentStatus if s in steps]
