"""Person pages, served by the cases app because they list each person's cases."""

from django.urls import path

from ontrack.cases import views

app_name = "people"
urlpatterns = [path("<int:person_id>/", views.person_detail, name="detail")]
