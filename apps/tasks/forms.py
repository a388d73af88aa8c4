"""Forms of the supervision pages; they validate input, the services decide."""

from django import forms

from apps.tasks.models import ExtensionRequest


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TransitionForm(_Versioned):
    comment = forms.CharField(
        label="说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class SubmitForm(_Versioned):
    comment = forms.CharField(
        label="办理结果",
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "class": "form-control form-control-sm",
                "placeholder": "简述任务完成情况",
            }
        ),
    )


class ReturnForm(_Versioned):
    comment = forms.CharField(
        label="退回理由",
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class ProgressReportForm(forms.Form):
    text = forms.CharField(
        label="进展情况",
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "class": "form-control form-control-sm",
                "placeholder": "本阶段完成的工作、存在的问题、下一步安排",
            }
        ),
    )
    attachment = forms.FileField(
        label="附件",
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm"}),
        help_text="可选，不超过 20 MB",
    )


class ExtensionForm(forms.Form):
    working_days = forms.IntegerField(
        label="延期工作日",
        min_value=1,
        max_value=ExtensionRequest.MAX_TOTAL_WORKING_DAYS,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
        help_text="每项任务累计不超过 10 个工作日，须在截止日期当日前提出",
    )
    reason = forms.CharField(
        label="延期理由",
        widget=forms.Textarea(
            attrs={"rows": 2, "class": "form-control form-control-sm", "placeholder": "延期理由"}
        ),
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label="审批意见",
        required=False,
        widget=forms.TextInput(
            attrs={"class": "form-control form-control-sm", "placeholder": "不予批准时必填"}
        ),
    )
