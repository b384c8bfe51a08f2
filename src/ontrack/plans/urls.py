from django.urls import path

from ontrack.plans import views

app_name = "plans"
urlpatterns = [
    path("<int:enrollment_id>/events/<slug:kind>/", views.record_event, name="record_event"),
]
