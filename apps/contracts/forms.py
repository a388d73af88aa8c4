"""Forms of the contract pages: the monthly report (one row per contract), ledger import,
correction of a ledger row."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.contracts.models import Contract, split_parties, split_people, split_places
from apps.core.forms import CompactForm
from apps.core.uploads import validate_spreadsheet
from apps.reference.models import Region


class ReportRowForm(CompactForm):
    """One contract's line in the monthly report. The contract is fixed by the page (hidden);
    ``version`` is the version of this month's report the form was opened with (blank: none
    existed), so a report saved by a colleague meanwhile is not overwritten."""

    contract = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    is_performing = forms.BooleanField(
        label=_("正在履约"),
        required=False,
        widget=forms.CheckboxInput,
    )
    is_started = forms.BooleanField(label=_("已开工"), required=False, widget=forms.CheckboxInput)
    started_on = forms.DateField(
        label=_("开工日期"),
        required=False,
        input_formats=["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"],
        # <input type="date"> speaks ISO dates whatever the interface language.
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    funds_arrived_to_date = forms.DecimalField(
        label=_("累计到位资金(亿元)"),
        min_value=0,
        max_digits=14,
        decimal_places=4,
        required=False,
        widget=forms.NumberInput({"step": "0.0001", "min": "0"}),
    )
    progress = forms.CharField(
        label=_("进展情况"), required=False, widget=forms.Textarea({"rows": 2})
    )
    problems = forms.CharField(
        label=_("存在问题"), required=False, widget=forms.Textarea({"rows": 2})
    )
    confirmation_note = forms.CharField(
        label=_("核实说明"),
        required=False,
        max_length=2000,
        widget=forms.TextInput({"placeholder": "到位资金超过签约额时填写核实说明"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("is_started") and not data.get("started_on"):
            self.add_error("started_on", gettext("已开工的项目请填写开工日期。"))
        if not data.get("is_started") and data.get("started_on"):
            self.add_error("started_on", gettext("未开工的项目不应填写开工日期。"))
        return data


class BaseReportFormSet(forms.BaseFormSet):
    def attach_errors(self, exc: ValidationError) -> None:
        """Put a service error next to the row it concerns (keys are contract ids)."""
        rows = {str(f.initial.get("contract")): f for f in self.forms}
        if not hasattr(exc, "error_dict"):
            self._non_form_errors = self.error_class(exc.messages)
            return
        for key, errors in exc.error_dict.items():
            form = rows.get(key)
            for error in errors:
                for message in error.messages:
                    if form is not None:
                        form.add_error(None, message)
                    else:
                        self._non_form_errors = self.error_class([message])


ReportFormSet = forms.formset_factory(ReportRowForm, formset=BaseReportFormSet, extra=0)


class LedgerUploadForm(forms.Form):
    file = forms.FileField(
        label=_("台账文件（.xlsx）"),
        help_text=_(
            "按“责任分工表”格式：序号、项目名称、甲方(青海)、乙方(省外)、总投资额(亿元)、"
            "资金来源地、责任领导、责任人，按“责任单位：××（N项）”分组；可含每页重复的表头。"
        ),
        widget=forms.ClearableFileInput({"class": "form-control", "accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_spreadsheet(upload)
        return upload


class ListField(forms.CharField):
    """Several values in one box, separated by 、 as the ledger prints them."""

    def __init__(self, *, splitter, **kwargs):
        self.splitter = splitter
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "、".join(value) if isinstance(value, list) else value

    def clean(self, value):
        return self.splitter(super().clean(value) or "")


class ContractCorrectionForm(CompactForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("项目名称"), max_length=255, widget=forms.TextInput)
    party_a = ListField(
        label=_("甲方(青海)"), required=False, splitter=split_parties, widget=forms.TextInput
    )
    party_b = ListField(
        label=_("乙方(省外)"), required=False, splitter=split_parties, widget=forms.TextInput
    )
    total_investment = forms.DecimalField(
        label=_("总投资额(亿元)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=4,
        widget=forms.NumberInput({"step": "0.0001"}),
    )
    funding_source_places = ListField(
        label=_("资金来源地"), required=False, splitter=split_places, widget=forms.TextInput
    )
    responsible_leader = forms.CharField(
        label=_("责任领导"), required=False, max_length=64, widget=forms.TextInput
    )
    responsible_persons = ListField(
        label=_("责任人"), required=False, splitter=split_people, widget=forms.TextInput
    )
    region = forms.ModelChoiceField(
        label=_("落地地区"),
        required=False,
        queryset=Region.objects.exclude(level=Region.Level.PROVINCE),
        widget=forms.Select,
    )
    note = forms.CharField(
        label=_("更正说明"),
        required=False,
        help_text=_("写明依据（如与签约方核实、合同文本），将记入该项目的更正说明。"),
        widget=forms.Textarea({"rows": 2}),
    )
    resolved = forms.BooleanField(
        label=_("已核实，取消“待更正”标记"),
        required=False,
        widget=forms.CheckboxInput,
    )

    @classmethod
    def for_contract(cls, contract: Contract, data=None) -> ContractCorrectionForm:
        initial = {
            "version": contract.version,
            "name": contract.name,
            "party_a": contract.party_a,
            "party_b": contract.party_b,
            "total_investment": contract.total_investment,
            "funding_source_places": contract.funding_source_places,
            "responsible_leader": contract.responsible_leader,
            "responsible_persons": contract.responsible_persons,
            "region": contract.region_id,
        }
        return cls(data, initial=initial)
