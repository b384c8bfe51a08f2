from django.urls import path

from ontrack.queues import views

app_name = "queues"

urlpatterns = [
    path("how-many/", views.how_many, name="how_many"),
    path("<slug:slug>/", views.case_list, name="list"),
    path("<slug:slug>/export.csv", views.case_list_export, {"kind": "csv"}, name="export_csv"),
    path("<slug:slug>/export.xlsx", views.case_list_export, {"kind": "xlsx"}, name="export_xlsx"),
]
