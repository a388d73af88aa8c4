from django.urls import path

from apps.projects import campaign_views, views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/transition/", views.project_transition, name="transition"),
    path("<int:pk>/stage/", views.project_stage, name="stage"),
    path("<int:pk>/checklist/", views.project_checklist, name="checklist"),
    path("<int:pk>/milestones/", views.project_milestones, name="milestones"),
    path("<int:pk>/factor-needs/", views.project_factors, name="factor-needs"),
    path("<int:pk>/documents/", views.document_upload, name="document-upload"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("updates/<int:pk>/photos/", views.photo_upload, name="photo-upload"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo_file, {"size": "thumb"}, name="photo-thumb"),
    path("<int:pk>/expert-opinions/", views.project_expert_opinion, name="expert-opinion"),
    path("<int:pk>/updates/new/", views.update_create, name="update-create"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update-edit"),
    path("updates/", views.monthly_overview, name="monthly"),
    path("review/", views.review_queue, name="review"),
    path("targets/", views.targets, name="targets"),
    path("campaigns/open/", campaign_views.campaign_open, name="campaign-open"),
    path("export/", views.export_xlsx, name="export"),
    path("import/", views.import_xlsx, name="import"),
    path("import/template/", views.import_template, name="import-template"),
]
