"""Forms of the supervision pages; they validate input, the services decide. All are drawn
with the compact controls (``CompactForm``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import CompactForm
from apps.tasks.models import ExtensionRequest


class _Versioned(CompactForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TransitionForm(_Versioned):
    comment = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SubmitForm(_Versioned):
    comment = forms.CharField(
        label=_("办理结果"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("简述任务完成情况")}),
    )


class ReturnForm(_Versioned):
    comment = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProgressReportForm(CompactForm):
    text = forms.CharField(
        label=_("进展情况"),
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("本阶段完成的工作、存在的问题、下一步安排")}
        ),
    )
    attachment = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=_("可选，不超过 20 MB"),
    )


class ExtensionForm(CompactForm):
    working_days = forms.IntegerField(
        label=_("延期工作日"),
        min_value=1,
        max_value=ExtensionRequest.MAX_TOTAL_WORKING_DAYS,
        help_text=_("每项任务累计不超过 10 个工作日，须在截止日期当日前提出"),
    )
    reason = forms.CharField(
        label=_("延期理由"),
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("延期理由")}),
    )


class DecisionForm(CompactForm):
    comment = forms.CharField(
        label=_("审批意见"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("不予批准时必填")}),
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
    )
    comment = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("不满意时必填，写明需重新办理的内容"),
    )


class SupplementForm(_Versioned):
    comment = forms.CharField(
        label=_("需补办的材料或内容"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeclineForm(_Versioned):
    comment = forms.CharField(
        label=_("退单依据"),
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("说明非本单位职责的依据")}),
    )
    suggested_unit = forms.CharField(
        label=_("改派意见"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("建议承办单位")}),
    )


class ReassignForm(CompactForm):
    unit = forms.ModelChoiceField(
        label=_("改派至"),
        queryset=None,
    )
    comment = forms.CharField(
        label=_("说明"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        from apps.reference.models import Organization

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Organization.objects.filter(is_active=True).order_by(
            "kind", "name"
        )
