"""Form fields shared by every app's forms and filters, and the one way forms are styled."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import DjangoTemplates
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from apps.core.periods import parse_period


class MonthField(forms.CharField):
    """A month written YYYY-MM (the browser's month input), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value) -> dt.date | None:
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_period(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def prepare_value(self, value):
        if hasattr(value, "year"):
            return f"{value:%Y-%m}"
        return value


# --- a service's refusal on the page ---------------------------------------------------------


def attach_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where the form has the field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def error_text(exc: Exception) -> str:
    """A refusal (ValidationError, PermissionDenied) as one line for a message."""
    return "；".join(getattr(exc, "messages", None) or [str(exc)])


def form_errors(form: forms.BaseForm) -> list[str]:
    """A form's errors, each named after its field's label: for a message."""
    return [
        f"{form.fields[name].label}：{error}" if name in form.fields else error
        for name, errors in form.errors.items()
        for error in errors
    ]


# --- styling: one Bootstrap renderer for every form ----------------------------------------

_CONTROLS = (
    "text", "number", "email", "url", "password", "search", "tel", "date", "datetime", "time",
    "textarea", "file", "clearable_file_input",
)  # fmt: skip
#: A widget's template → the Bootstrap 5 class of its control.
WIDGET_CLASSES = {
    **{f"django/forms/widgets/{name}.html": "form-control" for name in _CONTROLS},
    "django/forms/widgets/select.html": "form-select",
    "django/forms/widgets/checkbox.html": "form-check-input",
}


class BootstrapFormRenderer(DjangoTemplates):
    """``settings.FORM_RENDERER``: every control that declares no class of its own is drawn
    with Bootstrap's (``form-control``, ``form-select``, ``form-check-input``), so no form
    styles its widgets one by one. ``size = "sm"`` (``CompactFormRenderer``) draws the
    compact controls of filter bars and grids.

    Its templates are Django's with the platform's few first (apps/core/form_templates):
    the empty choice every select offers — Django's "---------", django-filter's too — reads
    "请选择" ("Select…" in English), in every form, filter and the admin, from this one place."""

    size = ""

    @cached_property
    def engine(self):
        import django.forms

        return self.backend(
            {
                "APP_DIRS": True,
                "DIRS": [
                    Path(__file__).parent / "form_templates",
                    Path(django.forms.__file__).parent / self.backend.app_dirname,
                ],
                "NAME": "qh_forms",
                "OPTIONS": {},
            }
        )

    def render(self, template_name, context, request=None):
        css = WIDGET_CLASSES.get(template_name)
        widget = context.get("widget") if css else None
        if widget is not None and not widget["attrs"].get("class"):
            if self.size and css != "form-check-input":
                css = f"{css} {css}-{self.size}"
            widget["attrs"]["class"] = css
        return super().render(template_name, context, request=request)


class CompactFormRenderer(BootstrapFormRenderer):
    size = "sm"


class CompactForm(forms.Form):
    """A form drawn with the compact controls (``form-control-sm``): filter bars, row grids;
    also the ``Meta.form`` of the FilterSets of such bars."""

    default_renderer = CompactFormRenderer


# --- the 台账/文件 lifecycle (apps.core.lifecycle) ---------------------------------------------


class DocumentStatusForm(CompactForm):
    """The lifecycle step of a task list or a fair ledger (tasks and contracts both use it)."""

    status = forms.ChoiceField(
        label=_("转为"),
        choices=[],
    )
    on = forms.DateField(
        label=_("办结日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, document=None, **kwargs):
        from apps.core.lifecycle import NEXT_STEPS, DocumentStatus

        super().__init__(*args, **kwargs)
        steps = NEXT_STEPS[document.status] if document is not None else set(DocumentStatus)
        self.fields["status"].choices = [(s.value, s.label) for s in DocumentStatus if s in steps]
