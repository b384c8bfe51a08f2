from django.urls import path

from ontrack.notes import views

app_name = "notes"
urlpatterns = [
    path("participants/<int:enrollment_id>/notes/", views.add, name="add"),
    path("notes/<int:note_id>/edit/", views.edit, name="edit"),
    path("participants/<int:enrollment_id>/documents/", views.upload, name="upload"),
    path("documents/<int:document_id>/", views.download, name="download"),
]
