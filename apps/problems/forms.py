from django import forms
from django.utils.translation import gettext_lazy as _

from apps.problems.models import Category


class ProblemForm(forms.Form):
    category = forms.ChoiceField(label=_("问题类别"), choices=Category.choices)
    title = forms.CharField(label=_("问题摘要"), max_length=200, required=False)
    description = forms.CharField(
        label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class StepForm(forms.Form):
    step = forms.ChoiceField(choices=[(s, s) for s in ("accept", "answer", "resolve", "reopen")])
    comment = forms.CharField(required=False, max_length=4000, widget=forms.Textarea)
    version = forms.IntegerField(required=False, min_value=1)
