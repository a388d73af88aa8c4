from django.urls import path

from apps.rankings import views

app_name = "rankings"

urlpatterns = [
    path("", views.ranking_page, name="ranking"),
    path("export.xlsx", views.ranking_export, name="export"),
    path("publish/", views.publish, name="publish"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/export.xlsx", views.bulletin_export, name="bulletin-export"),
]
