from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from rest_framework.authtoken.models import Token

from apps.accounts.models import Role


@login_required
def profile(request):
    token = None
    if request.user.role == Role.API_CLIENT:
        token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/profile.html", {"token": token})
