from django.urls import path

from ontrack.imports import views

app_name = "imports"
urlpatterns = [path("", views.batch_list, name="batches")]
