from django.urls import path

from apps.rankings.api import views

urlpatterns = [path("rankings/", views.RankingView.as_view(), name="rankings-api")]
