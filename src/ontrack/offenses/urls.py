from django.urls import path

from ontrack.offenses import views

app_name = "offenses"
urlpatterns = [path("", views.catalog_page, name="catalog")]
