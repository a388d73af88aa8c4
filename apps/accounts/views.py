from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.i18n import set_language as django_set_language

from apps.accounts import tokens
from apps.accounts.models import ApiToken, ApiTokenScope, Role, User
from apps.core import permissions as policy
from apps.core.pages import policy_view


@policy_view()
def profile(request):
    return render(request, "accounts/profile.html", {"languages": settings.LANGUAGES})


def set_language(request):
    """Django's language switch (cookie, redirect); a signed-in user's choice is kept on the
    account too (User.language), so e-mails and notifications speak it."""
    response = django_set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and language != user.language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language
    return response


def _may_hold_tokens(user) -> bool:
    return policy.is_signed_in(user) and (user.role == Role.API_CLIENT or policy.is_admin(user))


class TokenForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=gettext_lazy("接口用户"), queryset=User.objects.filter(role=Role.API_CLIENT)
    )
    name = forms.CharField(label=gettext_lazy("用途说明"), max_length=100)
    scope = forms.ChoiceField(label=gettext_lazy("权限范围"), choices=ApiTokenScope.choices)
    expires_at = forms.DateTimeField(
        label=gettext_lazy("过期时间（可空）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if not policy.is_admin(actor):
            # A client makes tokens only for itself.
            self.fields["owner"].queryset = User.objects.filter(pk=actor.pk)
            self.fields["owner"].initial = actor.pk


TOKEN_PAGE_REFUSAL = gettext_lazy("只有接口用户和系统管理员可以管理接口令牌。")


@policy_view(gate=_may_hold_tokens, methods=("GET", "POST"), refusal=TOKEN_PAGE_REFUSAL)
def token_list(request):
    """接口令牌：管理员管理全部接口用户的令牌，接口用户管理自己的令牌。明文只在创建时显示一次。"""
    qs = ApiToken.objects.select_related("owner").order_by("-created_at")
    if not policy.is_admin(request.user):
        qs = qs.filter(owner=request.user)
    plain = None
    form = TokenForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        _, plain = tokens.issue_token(
            actor=request.user,
            owner=form.cleaned_data["owner"],
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.cleaned_data["expires_at"],
        )
        form = TokenForm(actor=request.user)
    return render(request, "accounts/tokens.html", {"tokens": qs, "form": form, "plain": plain})


# Not model=ApiToken: the policy's personal scope lets a user act only on their own rows, and an
# administrator revokes any client's token; tokens.may_manage_tokens is that one rule.
@policy_view(gate=_may_hold_tokens, methods=("POST",), refusal=TOKEN_PAGE_REFUSAL)
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.select_related("owner"), pk=pk)
    if not tokens.may_manage_tokens(request.user, token.owner):
        raise PermissionDenied(TOKEN_PAGE_REFUSAL)
    tokens.revoke_token(actor=request.user, token=token)
    messages.success(request, _("令牌已吊销。"))
    return redirect("accounts:tokens")
