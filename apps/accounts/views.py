from django.shortcuts import render
from rest_framework.authtoken.models import Token

from apps.accounts.models import Role
from apps.core.pages import policy_view


@policy_view()
def profile(request):
    token = None
    if request.user.role == Role.API_CLIENT:
        token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/profile.html", {"token": token})
