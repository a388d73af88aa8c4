from django.urls import path

from apps.contracts import views

app_name = "contracts"

# Pages take ?fair=<id> (default: the most recent fair) and, where a month matters, ?month=.
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export/", views.ledger_export, name="ledger-export"),
    path("report/", views.report_form, name="report"),
    path("report/export/", views.reports_export, name="reports-export"),
    path("status/", views.reporting_status, name="status"),
    path("fairs/<int:pk>/status/", views.fair_lifecycle, name="fair-status"),
    path("rates/", views.rates_page, name="rates"),
    path("quarterly/", views.quarterly_report, name="quarterly"),
    path("quarterly/export/", views.quarterly_export, name="quarterly-export"),
    path("import/", views.ledger_import, name="import"),
    path("import/confirm/", views.ledger_import_confirm, name="import-confirm"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/correct/", views.contract_correct, name="correct"),
]
