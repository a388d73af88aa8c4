"""One way to style forms: the Bootstrap renderer (settings.FORM_RENDERER)."""

from django import forms

from apps.core.forms import BootstrapFormRenderer, CompactForm


class PlainForm(forms.Form):
    name = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "A")])
    done = forms.BooleanField(required=False)
    note = forms.CharField(widget=forms.Textarea)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.CharField(widget=forms.HiddenInput)
    own = forms.CharField(widget=forms.TextInput(attrs={"class": "form-control num"}))


class SmallForm(CompactForm, PlainForm):
    pass


def _classes(form) -> dict[str, str | None]:
    import re

    out = {}
    for name in form.fields:
        html = str(form[name])
        found = re.search(r'class="([^"]*)"', html)
        out[name] = found.group(1) if found else None
    return out


def test_the_default_renderer_styles_every_control():
    form = PlainForm()
    assert isinstance(form.renderer, BootstrapFormRenderer)
    assert _classes(form) == {
        "name": "form-control",
        "kind": "form-select",
        "done": "form-check-input",
        "note": "form-control",
        "day": "form-control",
        "secret": None,
        "own": "form-control num",  # a class of its own is kept
    }


def test_a_compact_form_draws_small_controls():
    assert _classes(SmallForm()) == {
        "name": "form-control form-control-sm",
        "kind": "form-select form-select-sm",
        "done": "form-check-input",
        "note": "form-control form-control-sm",
        "day": "form-control form-control-sm",
        "secret": None,
        "own": "form-control num",
    }


def test_a_filterset_form_takes_the_compact_renderer():
    from apps.tasks.filters import AssignmentFilter

    html = str(AssignmentFilter().form["status"])
    assert 'class="form-select form-select-sm"' in html
