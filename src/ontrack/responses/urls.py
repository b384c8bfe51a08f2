from django.urls import path

from ontrack.responses import views

app_name = "responses"
urlpatterns = [
    path("events/<int:event_id>/", views.record, name="record"),
]
