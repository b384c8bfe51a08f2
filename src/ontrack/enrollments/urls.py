from django.urls import path

from ontrack.enrollments import views

app_name = "enrollments"
urlpatterns = [
    path("<int:enrollment_id>/moves/", views.move, name="move"),
]
