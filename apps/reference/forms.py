from django import forms
from django.utils.translation import gettext_lazy as _

from apps.reference.models import Organization


class OrganizationProfileForm(forms.ModelForm):
    """What a unit's own staff may maintain about their unit; names and kinds are admin's."""

    webhook_url = forms.URLField(
        label=_("群机器人地址"),
        required=False,
        assume_scheme="https",
        help_text=_("企业微信/钉钉群机器人 Webhook，可选"),
        widget=forms.URLInput(attrs={"class": "form-control"}),
    )

    class Meta:
        model = Organization
        fields = ["webhook_url"]
